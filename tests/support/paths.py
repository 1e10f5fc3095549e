"""Where things are: the repository root, and the folder of screenshots and other test artifacts."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "test-artifacts"

"""manage.py fetch_weights: downloads the Wan2.1-VACE weights and checks them, or (--check) only
checks a folder that is already there, e.g. copied from another machine."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inference import weights


class Command(BaseCommand):
    help = "Download the Wan2.1-VACE weights (needs internet) and check them; --check only checks."

    def add_arguments(self, parser):
        parser.add_argument("--model", default=settings.WAN_MODEL,
                            help="a Hugging Face model id, or 1.3b / 14b (default: the WAN_MODEL setting)")
        parser.add_argument("--dir", default=None, help="the folder (default: WAN_WEIGHTS_DIR for WAN_MODEL)")
        parser.add_argument("--lora", default="", help='an optional step-distillation LoRA: "repo" or "repo:file.safetensors"')
        parser.add_argument("--check", action="store_true", help="only check the folder, download nothing")
        parser.add_argument("--load", action="store_true", help="also load the pipeline, as a worker would")

    def handle(self, model, dir, lora, check, load, **options):
        folder = Path(dir) if dir else weights.default_folder(model)
        try:
            if not check:
                self.stdout.write(f"Downloading {weights.model_id(model)} to {folder} …")
                weights.download(model, folder, lora=lora or None)
            self.stdout.write(weights.check_folder(folder))
        except weights.WeightsError as error:
            raise CommandError(str(error)) from error
        if load:
            self._load(folder)
        if lora and not check:
            self.stdout.write(f"Set WAN_LORA={folder / 'lora'} to render in a few steps with the LoRA.")
        if str(folder) != str(settings.WAN_WEIGHTS_DIR):
            self.stdout.write(f"Set WAN_WEIGHTS_DIR={folder} (and WAN_MODEL={weights.model_id(model)}) for the workers.")
        self.stdout.write(self.style.SUCCESS("The weights are ready."))

    def _load(self, folder):
        from inference.backends.wan import load_pipeline

        try:
            pipe = load_pipeline(folder)
        except Exception as error:  # noqa: BLE001 - a corrupt file: say which folder, keep the cause
            raise CommandError(f"The files are there but the pipeline does not load from {folder}: {error}") from error
        parameters = sum(p.numel() for p in pipe.transformer.parameters())
        self.stdout.write(f"Loaded {type(pipe).__name__} ({parameters / 1e6:.1f} M transformer parameters) on {pipe.device}.")

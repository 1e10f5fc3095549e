"""Media helpers for finished films: burnt-in labels and subtitles, and the MP4 writer."""

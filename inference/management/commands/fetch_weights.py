"""manage.py fetch_weights: downloads the Wan2.1-VACE weights (or, with --model h3, MiniMax-H3's)
and checks them, or (--check) only checks a folder that is already there, e.g. copied from another
machine."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inference import weights


class Command(BaseCommand):
    help = ("Download the Wan2.1-VACE weights, or MiniMax-H3's with --model h3 (needs internet), and check "
            "them; --check only checks.")

    def add_arguments(self, parser):
        parser.add_argument("--model", default=settings.WAN_MODEL,
                            help="a Hugging Face model id, or 1.3b / 14b / h3 (default: the WAN_MODEL setting)")
        parser.add_argument("--dir", default=None, help="the folder (default: WAN_WEIGHTS_DIR for WAN_MODEL)")
        parser.add_argument("--lora", default="", help='an optional step-distillation LoRA: "repo" or "repo:file.safetensors"')
        parser.add_argument("--check", action="store_true", help="only check the folder, download nothing")
        parser.add_argument("--load", action="store_true", help="also load the pipeline, as a worker would")

    def handle(self, model, dir, lora, check, load, **options):
        folder = Path(dir) if dir else weights.default_folder(model)
        h3 = weights.is_h3(model)
        try:
            if not check:
                self.stdout.write(f"Downloading {weights.model_id(model)} to {folder} …")
                weights.download(model, folder, lora=None if h3 else lora or None)
            self.stdout.write(weights.check_h3_folder(folder) if h3 else weights.check_folder(folder))
        except weights.WeightsError as error:
            raise CommandError(str(error)) from error
        if load:
            self._load(folder, h3=h3)
        if h3:
            if str(folder) != str(settings.H3_WEIGHTS_DIR):
                self.stdout.write(f"Set H3_WEIGHTS_DIR={folder} for the workers.")
            if not settings.H3_LICENCE_ACCEPTED:
                self.stdout.write("MiniMax-H3's licence is not Apache-2.0 and excludes some territories; the site "
                                  "uses it only once you set H3_LICENCE_ACCEPTED=1 (README: The h3 backend).")
            self.stdout.write(self.style.SUCCESS("The weights are ready."))
            return
        if lora and not check:
            self.stdout.write(f"Set WAN_LORA={folder / 'lora'} to render in a few steps with the LoRA.")
        if str(folder) != str(settings.WAN_WEIGHTS_DIR):
            self.stdout.write(f"Set WAN_WEIGHTS_DIR={folder} (and WAN_MODEL={weights.model_id(model)}) for the workers.")
        self.stdout.write(self.style.SUCCESS("The weights are ready."))

    def _load(self, folder, h3=False):
        if h3:
            from inference.backends.h3 import load_pipeline
        else:
            from inference.backends.wan import load_pipeline

        try:
            pipe = load_pipeline(folder)
        except Exception as error:  # noqa: BLE001 - a corrupt file: say which folder, keep the cause
            raise CommandError(f"The files are there but the pipeline does not load from {folder}: {error}") from error
        transformer = getattr(pipe, "transformer_ref", None) if h3 else pipe.transformer
        parameters = sum(p.numel() for p in transformer.parameters())
        device = getattr(pipe, "device", None) or getattr(pipe, "_execution_device", "")
        self.stdout.write(f"Loaded {type(pipe).__name__} ({parameters / 1e6:.1f} M transformer parameters) on {device}.")

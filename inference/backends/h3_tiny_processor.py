"""The Qwen3-VL processor parts of the tiny MiniMax-H3 pipeline that cannot be transformers' own here.

transformers' `Qwen3VLVideoProcessor` and `AutoVideoProcessor` need torchvision, and the only
torchvision wheel this machine can install is a CUDA build whose operators do not load against the
CPU torch. So the tiny pipeline's processor is a real `Qwen3VLProcessor` subclass whose video part,
`TinyQwen3VLVideoProcessor`, does the same arithmetic as transformers' one for frames already sampled
(which is how the MiniMax-H3 blocks call it), with torch only; and whose `from_pretrained` builds that
video part from the saved processor_config.json instead of asking AutoVideoProcessor. The tokenizer and
the image processor are transformers' own and load as usual. On a machine with torchvision the real
`h3` model loads transformers' own processor; nothing here is used by it.

These classes sit at module level (and this module imports transformers at its top) because a saved
pipeline folder names them by module path, and diffusers resolves that name from `sys.modules`.
"""
import math

import numpy as np
import torch
from transformers import Qwen2TokenizerFast, Qwen2VLImageProcessor, Qwen3VLProcessor
from transformers.feature_extraction_utils import BatchFeature
from transformers.video_processing_utils import VideoProcessorMixin

_SETTINGS = ("patch_size", "temporal_patch_size", "merge_size", "min_pixels", "max_pixels", "image_mean",
             "image_std")


class TinyQwen3VLVideoProcessor(VideoProcessorMixin):
    """Qwen3-VL's video preprocessing for pre-sampled frames: resize each video to a multiple of
    patch*merge (within max_pixels over all its frames), rescale to [0, 1], normalise, pad the frame
    count to the temporal patch, and lay patches out exactly as `Qwen3VLVideoProcessor.patchify`."""

    model_input_names = ["pixel_values_videos", "video_grid_thw"]
    patch_size = 16
    temporal_patch_size = 2
    merge_size = 2
    min_pixels = 32 * 32
    max_pixels = 64 * 64 * 8
    image_mean = (0.5, 0.5, 0.5)
    image_std = (0.5, 0.5, 0.5)

    def __init__(self, **kwargs):
        for name in _SETTINGS:
            if name in kwargs:
                setattr(self, name, kwargs.pop(name))
        super().__init__(**kwargs)

    def to_dict(self):
        output = super().to_dict()
        for name in _SETTINGS:
            value = getattr(self, name)
            output[name] = list(value) if isinstance(value, tuple) else value
        return output

    def _target_size(self, num_frames: int, height: int, width: int) -> tuple[int, int]:
        factor = self.patch_size * self.merge_size
        h_bar = max(factor, round(height / factor) * factor)
        w_bar = max(factor, round(width / factor) * factor)
        if num_frames * h_bar * w_bar > self.max_pixels:
            beta = math.sqrt(num_frames * height * width / self.max_pixels)
            h_bar = max(factor, math.floor(height / beta / factor) * factor)
            w_bar = max(factor, math.floor(width / beta / factor) * factor)
        return h_bar, w_bar

    def preprocess(self, videos, do_sample_frames=False, return_tensors=None, **kwargs):
        if do_sample_frames:
            raise ValueError("TinyQwen3VLVideoProcessor takes frames already sampled (do_sample_frames=False)")
        mean = torch.tensor(self.image_mean, dtype=torch.float32).view(1, 3, 1, 1)
        std = torch.tensor(self.image_std, dtype=torch.float32).view(1, 3, 1, 1)
        p, m, tp = self.patch_size, self.merge_size, self.temporal_patch_size
        patches, grids = [], []
        for video in videos:
            frames = torch.from_numpy(np.ascontiguousarray(np.asarray(video))).float().permute(0, 3, 1, 2)
            height, width = self._target_size(frames.shape[0], frames.shape[2], frames.shape[3])
            if (height, width) != tuple(frames.shape[2:]):
                frames = torch.nn.functional.interpolate(frames, size=(height, width), mode="bicubic",
                                                         align_corners=False).clamp(0, 255)
            frames = (frames / 255.0 - mean) / std
            if pad := -frames.shape[0] % tp:
                frames = torch.cat([frames, frames[-1:].expand(pad, -1, -1, -1)])
            grid_t, grid_h, grid_w = frames.shape[0] // tp, height // p, width // p
            flat = frames.reshape(grid_t, tp, 3, grid_h // m, m, p, grid_w // m, m, p)
            # (t, h/m, w/m, m, m, C, tp, p, p): Qwen3VLVideoProcessor.patchify's order
            flat = flat.permute(0, 3, 6, 4, 7, 2, 1, 5, 8).reshape(grid_t * grid_h * grid_w, 3 * tp * p * p)
            patches.append(flat)
            grids.append([grid_t, grid_h, grid_w])
        return BatchFeature(data={"pixel_values_videos": torch.cat(patches),
                                  "video_grid_thw": torch.tensor(grids, dtype=torch.long)},
                            tensor_type=return_tensors)


class TinyQwen3VLProcessor(Qwen3VLProcessor):
    """Qwen3VLProcessor whose saved folder loads back without AutoVideoProcessor (see the module doc)."""

    def check_argument_for_proper_class(self, argument_name, argument):
        # transformers looks the video processor's base class up through its torchvision-gated
        # auto mapping, which is a placeholder without torchvision; the check itself is kept.
        if argument_name == "video_processor":
            if not isinstance(argument, VideoProcessorMixin):
                raise TypeError(f"Received a {type(argument).__name__} for argument video_processor")
            return VideoProcessorMixin
        return super().check_argument_for_proper_class(argument_name, argument)

    @classmethod
    def _get_arguments_from_pretrained(cls, pretrained_model_name_or_path, processor_dict=None, **kwargs):
        processor_dict = processor_dict or {}
        # diffusers passes the pipeline folder plus subfolder="processor"; the tokenizer files are there
        tokenizer = Qwen2TokenizerFast.from_pretrained(pretrained_model_name_or_path, **kwargs)
        image_settings = dict(processor_dict.get("image_processor") or {})
        video_settings = dict(processor_dict.get("video_processor") or {})
        for settings in (image_settings, video_settings):
            for key in ("image_processor_type", "video_processor_type", "processor_class", "_processor_class"):
                settings.pop(key, None)
        image_processor = Qwen2VLImageProcessor(**image_settings)
        video_processor = TinyQwen3VLVideoProcessor(
            **{name: video_settings[name] for name in _SETTINGS if name in video_settings})
        # the order of Qwen3VLProcessor.__init__: image_processor, tokenizer, video_processor
        return [image_processor, tokenizer, video_processor]

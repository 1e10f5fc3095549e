"""Decodes a film into one PNG of evenly spaced frames, to look at what a renderer made.

    python tools/contact_sheet.py film.mp4 sheet.png [--columns 6] [--frames 24] [--width 320]

Each tile is labelled with its time in seconds.
"""
import argparse

import av
import numpy as np
from PIL import Image, ImageDraw


def contact_sheet(video_path, out_path, *, columns=6, frames=24, tile_width=320):
    with av.open(str(video_path)) as container:
        stream = container.streams.video[0]
        decoded = [(frame.time, frame.to_ndarray(format="rgb24")) for frame in container.decode(stream)]
    picks = np.linspace(0, len(decoded) - 1, min(frames, len(decoded))).round().astype(int)
    first = decoded[0][1]
    tile_height = round(first.shape[0] * tile_width / first.shape[1])
    rows = -(-len(picks) // columns)
    sheet = Image.new("RGB", (columns * tile_width, rows * tile_height), (0, 0, 0))
    draw = ImageDraw.Draw(sheet)
    for n, index in enumerate(picks):
        time, pixels = decoded[index]
        x, y = (n % columns) * tile_width, (n // columns) * tile_height
        sheet.paste(Image.fromarray(pixels).resize((tile_width, tile_height), Image.Resampling.BILINEAR), (x, y))
        draw.text((x + 4, y + tile_height - 14), f"{time:.2f} s", fill=(255, 255, 0))
    sheet.save(out_path)
    return out_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("out")
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--frames", type=int, default=24)
    parser.add_argument("--width", type=int, default=320)
    args = parser.parse_args()
    print(contact_sheet(args.video, args.out, columns=args.columns, frames=args.frames, tile_width=args.width))

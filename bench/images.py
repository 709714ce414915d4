"""Image processing benchmark: what an upload and its renditions job cost in CPU, for a phone photo.

    .venv/bin/python bench/images.py [--width 4032 --height 3024 --runs 5]

Makes a photo-like JPEG with EXIF and GPS (noise over a gradient, as a 12-megapixel phone writes them),
then times, median of ``--runs``:

* ``prepare``: the upload's check and the kept original (decode, turn upright, encode again);
* ``renditions``: the job's six renditions (320, 960, 1920 wide; JPEG and WebP) from that original;
* ``baseline``: Pillow decoding the same photo and encoding it again as JPEG, nothing else — the least
  any metadata-free copy of it costs.

No database, no storage: pixels only. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable

from PIL import ExifTags, Image
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tixmo.media.models import RENDITION_FORMATS, RENDITION_WIDTHS
from tixmo.media.processing import Limits, prepare, renditions

console = Console(stderr=True)


def phone_photo(width: int, height: int) -> bytes:
    ramp = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    photo = Image.merge("RGB", (ramp, noise, Image.blend(ramp, noise, 0.5)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = "Bench Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def baseline(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=95)
        return buffer.getvalue()


def median_ms(work: Callable[[], object], runs: int, progress: Progress, label: str) -> float:
    task = progress.add_task(label, total=runs)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
        progress.advance(task)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--width", type=int, default=4032)
    parser.add_argument("--height", type=int, default=3024)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    photo = phone_photo(args.width, args.height)
    limits = Limits(max_bytes=200 * 1_048_576, max_pixels=89_000_000)
    kept = prepare(photo, limits)
    made = renditions(kept.data, RENDITION_WIDTHS, RENDITION_FORMATS)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        result = {
            "photo": {"width": args.width, "height": args.height, "bytes": len(photo)},
            "kept_original_bytes": len(kept.data),
            "renditions_bytes": {f"w{r.width}.{r.format.value}": len(r.data) for r in made},
            "baseline_ms": median_ms(lambda: baseline(photo), args.runs, bar, "baseline"),
            "prepare_ms": median_ms(lambda: prepare(photo, limits), args.runs, bar, "prepare"),
            "renditions_ms": median_ms(
                lambda: renditions(kept.data, RENDITION_WIDTHS, RENDITION_FORMATS),
                args.runs,
                bar,
                "renditions",
            ),
            "runs": args.runs,
        }
    result["prepare_vs_baseline"] = round(result["prepare_ms"] / result["baseline_ms"], 2)  # type: ignore[operator]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

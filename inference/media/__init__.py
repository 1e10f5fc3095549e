"""Media I/O with PyAV: reference clips in (clip.py, ingest.py), finished films out (film_writer.py,
overlay.py, assemble.py). The package imports nothing eagerly, so a worker loads only what it uses."""

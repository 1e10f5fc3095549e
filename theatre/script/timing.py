"""How long a storyboard's lines take to say, for the editor's "too long to fit" warnings.

The renderer lengthens a shot to hold its lines as they are actually spoken; these estimates
(inference.voice.timing's rule of thumb, with the lead-in, gaps and tail the timing plan uses) tell
the writer beforehand, at the shot, instead of after a render.
"""
from django.conf import settings
from django.utils.translation import gettext as _

from inference.voice.timing import GAP, LEAD_IN, MIN_SHOT, TAIL, estimate_line_seconds


def lines_seconds(lines, language="en"):
    """Estimated seconds a shot needs for `lines` ([{"text": ...}]); 0 without lines."""
    texts = [line.get("text", "") for line in lines if line.get("text", "").strip()]
    if not texts:
        return 0.0
    return LEAD_IN + sum(estimate_line_seconds(t, language) for t in texts) + GAP * (len(texts) - 1) + TAIL


def shot_problem(duration, lines, language="en"):
    """A sentence when the lines will not fit the shot's seconds, else ""."""
    needed = lines_seconds(lines, language)
    if needed <= duration + 0.05:
        return ""
    return _("These lines take about %(needed).1f s to say but the shot lasts %(duration).1f s: make the shot "
             "longer or the lines shorter.") % {"needed": needed, "duration": duration}


def film_problem(shots, language="en"):
    """A sentence when the lines alone overflow the film's maximum (silent shots shrunk to their
    minimum), else "". `shots` is a list of (duration, lines)."""
    limit = settings.FILM_MAX_SECONDS
    floor = sum(lines_seconds(lines, language) or min(duration, MIN_SHOT) for duration, lines in shots)
    if floor <= limit:
        return ""
    return _("The lines need about %(needed).1f s but a film lasts at most %(limit).0f s: shorten or cut some "
             "lines.") % {"needed": floor, "limit": limit}

"""RQ jobs. Each takes an id, reloads its row, is safe to run twice, and leaves the row (which the
user sees) in a final state: ready/done, or failed with a readable reason and a retry."""
import errno
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .progress import avatar_group, broadcast, film_group
from .status import avatar_status, film_status

log = logging.getLogger(__name__)

GENERIC_AVATAR_FAILURE = gettext_noop("Something went wrong while preparing this clip. Please try again.")
GENERIC_FILM_FAILURE = gettext_noop("Something went wrong while rendering this film. Please try again.")
AVATAR_STORAGE_FULL = gettext_noop("The avatar could not be saved: the server's storage is full. Your clip is kept: please try again later.")
STORAGE_FULL = gettext_noop("The film could not be saved: the server's storage is full. Please try again later.")
STORAGE_FAILED = gettext_noop("The film could not be saved: the server could not write it. Please try again later.")


# --- avatars -------------------------------------------------------------------------------------

def prepare_avatar(avatar_id):
    from inference.media.clip import ClipError
    from inference.media.ingest import prepare_clip
    from theatre.services.avatars import local_copy, store_prepared
    from theatre.models import Avatar

    avatar = Avatar.objects.filter(pk=avatar_id, status=Avatar.Status.PROCESSING).first()
    if avatar is None:  # deleted, or already prepared by an earlier run
        return
    try:
        with local_copy(avatar.clip) as path:
            prepared = prepare_clip(path, avatar.kind)
        profile, preset, wav = _voice_of(avatar, prepared)
        store_prepared(avatar, prepared, profile, preset, wav)
    except ClipError as error:
        _fail_avatar(avatar, str(error))
        return
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise  # RQ's failure handler gives the generic reason; the clip stays for a retry
        log.error("preparing avatar %s: the storage is full: %s", avatar.pk, error)
        _fail_avatar(avatar, AVATAR_STORAGE_FULL)
        return
    broadcast(avatar_group(avatar.pk), **avatar_status(avatar))


def _voice_of(avatar, prepared):
    """The voice profile when the clip has speech; otherwise a preset voice chosen from the kind."""
    from inference.voice.audio import wav_bytes
    from inference.voice.presets import preset_for
    from inference.voice.profile import voice_profile

    profile = {"has_speech": False}
    if prepared.audio is not None and len(prepared.audio):
        profile = voice_profile(prepared.audio, prepared.audio_rate)
    if profile.get("has_speech"):
        return profile, "", wav_bytes(prepared.audio, prepared.audio_rate)
    return profile, preset_for(avatar.kind, avatar.description), None


def _fail_avatar(avatar, reason):
    avatar.status, avatar.failure_reason = avatar.Status.FAILED, reason[:300]
    avatar.save(update_fields=["status", "failure_reason"])
    broadcast(avatar_group(avatar.pk), **avatar_status(avatar))


def avatar_job_failed(job, connection, exc_type, exc_value, traceback):
    """RQ calls this when the job raised or timed out: the avatar must not stay 'processing'."""
    from theatre.models import Avatar

    log.error("avatar preparation %s failed: %s", job.args, exc_value)
    avatar = Avatar.objects.filter(pk=job.args[0], status=Avatar.Status.PROCESSING).first()
    if avatar:
        _fail_avatar(avatar, GENERIC_AVATAR_FAILURE)


# --- films ---------------------------------------------------------------------------------------

def render_film(film_id, on_progress=None):
    from theatre.models import Film

    from .backends.base import RenderCancelled
    from .film_spec import RenderRefused, build_film_spec
    from .render import RenderError, render_film_files

    with transaction.atomic():
        film = Film.objects.select_for_update().filter(pk=film_id, status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).first()
        if film is None:  # rendered, failed or deleted meanwhile: nothing to do
            return
        film.status, film.stage, film.progress = Film.Status.RENDERING, "starting", 0
        film.render_attempts += 1
        film.heartbeat = timezone.now()
        film.save(update_fields=["status", "stage", "progress", "render_attempts", "heartbeat"])
    reporter = ProgressReporter(film, also=on_progress)
    try:
        with tempfile.TemporaryDirectory(prefix="film-") as workdir:
            spec = build_film_spec(film, workdir)
            result = render_film_files(spec, Path(workdir), on_progress=reporter,
                                       should_cancel=CancelCheck(film.pk))
            if not _store_film(film, result):
                raise RenderCancelled("The film was cancelled as it finished.")
    except RenderCancelled:
        # Its owner cancelled it (theatre.services.casting.cancel_render put the row back to draft):
        # nothing to fail and nothing to store; the work folder is gone with the `with`.
        log.info("render of film %s stopped: the film was cancelled", film.pk)
        film.refresh_from_db()
        broadcast(film_group(film.pk), **film_status(film))
        return
    except (RenderRefused, RenderError) as error:
        fail_film(film, str(error))
        return
    except OSError as error:  # a full or unwritable disk (work folder or media storage): fail cleanly
        log.error("render of film %s could not write its files: %s", film.pk, error)
        fail_film(film, STORAGE_FULL if error.errno in (errno.ENOSPC, errno.EDQUOT) else STORAGE_FAILED)
        return
    _notify_cast(film)
    _call_webhook(film)


def _store_film(film, result):
    """Stores the files and marks the film done, unless it was cancelled meanwhile (False then)."""
    from theatre.models import Film

    from .media.provenance import public_model_name

    if not Film.objects.filter(pk=film.pk, status=Film.Status.RENDERING).exists():
        return False
    saved = []
    try:
        with open(result.video, "rb") as video, open(result.poster, "rb") as poster:
            film.video.save(f"film-{film.pk}.mp4", File(video), save=False)
            saved.append(film.video)
            film.poster.save(f"film-{film.pk}.jpg", File(poster), save=False)
            saved.append(film.poster)
    except OSError:
        # The video may be stored while the poster did not fit: a film is both or neither.
        for field in saved:
            field.delete(save=False)
        film.video, film.poster = None, None
        raise
    with transaction.atomic():
        # The row is locked so a cancel arriving now either lands first (and the files go) or waits
        # for a finished film, which it then leaves alone.
        if not Film.objects.select_for_update().filter(pk=film.pk, status=Film.Status.RENDERING).exists():
            film.video.delete(save=False)
            film.poster.delete(save=False)
            return False
        film.status, film.stage, film.progress = Film.Status.DONE, "done", 100
        film.backend, film.duration, film.rendered_at = result.backend, result.duration, timezone.now()
        film.model, film.sound = public_model_name(result.model)[:120], result.sound
        film.failure_reason = ""
        film.save()
    broadcast(film_group(film.pk), **film_status(film))
    return True


def _notify_cast(film):
    from theatre.services.consent import notify

    owners = {m.avatar.owner for m in film.cast.select_related("avatar__owner") if m.avatar.owner_id not in (None, film.owner_id)}
    for owner in owners:
        notify(owner, f"@{film.owner.profile.handle}: {film.title}", film.get_absolute_url())


def fail_film(film, reason):
    """The one way a film fails: the row says failed with a reason its owner can read (and a retry
    button), and the owner's open pages hear it once the change is committed."""
    from theatre.models import Film

    Film.objects.filter(pk=film.pk).update(status=Film.Status.FAILED, failure_reason=reason[:300], stage="failed")
    film.refresh_from_db()
    status = film_status(film)
    transaction.on_commit(lambda: broadcast(film_group(film.pk), **status))
    _call_webhook(film)


def _call_webhook(film):
    """The owner's completion webhook, if the film has one (sent after the commit, retried)."""
    from theatre.services.webhooks import film_finished

    film_finished(film)


def film_job_failed(job, connection, exc_type, exc_value, traceback):
    from theatre.models import Film

    log.error("render of film %s failed: %s", job.args, exc_value)
    film = Film.objects.filter(pk=job.args[0], status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).first()
    if film:
        fail_film(film, GENERIC_FILM_FAILURE)


class CancelCheck:
    """The render's cancel hook, asked after every step: has the film stopped being rendering? A
    cancel puts the row back to draft (theatre.services.casting.cancel_render); a film deleted
    meanwhile counts as cancelled too. One primary-key lookup a step: a GPU step takes seconds."""

    def __init__(self, film_id):
        self.film_id = film_id

    def __call__(self):
        from theatre.models import Film

        return not Film.objects.filter(pk=self.film_id, status=Film.Status.RENDERING).exists()


class ProgressReporter:
    """Writes progress to the film row and broadcasts it, at most a few times a second, so a fast
    renderer does not spend its time on database writes."""

    def __init__(self, film, min_interval=0.25, also=None):
        self.film, self.min_interval, self.last, self.last_stage = film, min_interval, 0.0, None
        self.also = also

    def __call__(self, progress):
        import time

        if self.also:
            self.also(progress)
        now = time.monotonic()
        if progress.stage == self.last_stage and now - self.last < self.min_interval and progress.percent < 100:
            return
        self.last, self.last_stage = now, progress.stage
        film = self.film
        film.stage, film.progress, film.heartbeat = progress.stage, min(99, progress.percent), timezone.now()
        # Only while it is rendering: a cancelled film must not be written back to "shot 2, 40 %".
        updated = type(film).objects.filter(pk=film.pk, status=film.Status.RENDERING).update(
            stage=film.stage, progress=film.progress, heartbeat=film.heartbeat)
        if not updated:
            return
        broadcast(film_group(film.pk), **film_status(film), shot=progress.shot, shots=progress.shots,
                  step=progress.step, steps=progress.steps)

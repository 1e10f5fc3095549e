"""Voices for films: each avatar's voice speaks its lines, and the lines set the shots' timing.

- profile.py: `estimate_pitch`, `voice_profile` (the avatar ingest's analysis of a clip)
- base.py: `VoiceBackend.synthesize(text, language, voice)`, `get_voice_backend(name)`
- espeak.py: the default backend (espeak-ng + pitch shift + EQ); presets.py: named voices
- clone.py: CosyVoice 2 zero-shot cloning on GPU workers, falling back to espeak
- timing.py / mix.py: `plan_film_audio` (shot and line timing, mixed track, cues, loudness),
  `estimate_line_seconds`
"""

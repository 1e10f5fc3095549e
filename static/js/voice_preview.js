// "Preview voice": plays the avatar's voice saying a short line. The WAV is made on the server
// (and cached there), so a second click replays the same sound without a new synthesis.
(function () {
  const button = document.querySelector("[data-voice-preview]");
  const player = document.querySelector("[data-voice-player]");
  if (!button || !player) return;
  button.addEventListener("click", () => {
    if (!player.src) player.src = button.dataset.voicePreview;
    player.currentTime = 0;
    player.play().catch(() => { player.hidden = false; player.controls = true; });
  });
})();

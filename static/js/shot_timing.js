// Live "too long to fit" hints in the storyboard editor, with the server's rule of thumb
// (inference.voice.timing.estimate_line_seconds): the server checks again when the form is saved.
(function () {
  const form = document.querySelector("[data-shot-timing]");
  if (!form) return;
  const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/g, WORD = /[A-Za-z0-9\u00c0-\u024f']+/g, PAUSE = /[,.;:!?，。；：！？、…]/g;
  const LEAD_IN = 0.2, GAP = 0.25, TAIL = 0.3;

  function lineSeconds(text) {
    const cjk = (text.match(CJK) || []).length, words = (text.replace(CJK, " ").match(WORD) || []).length;
    const pauses = (text.trim().replace(/[,.;:!?，。；：！？、…]+$/, "").match(PAUSE) || []).length;
    const seconds = cjk / 4.5 + words / 2.7 + pauses * 0.2;
    return cjk || words ? Math.max(seconds, 0.5) : 0;
  }
  function shotSeconds(textarea) {
    const lines = textarea.value.split("\n").map(l => l.replace("：", ":").split(":").slice(1).join(":")).filter(t => t.trim());
    if (!lines.length) return 0;
    return LEAD_IN + lines.reduce((sum, t) => sum + lineSeconds(t), 0) + GAP * (lines.length - 1) + TAIL;
  }
  function update() {
    form.querySelectorAll(".shot-card").forEach(card => {
      const lines = card.querySelector("textarea[name$='dialogue_text']"), duration = card.querySelector("input[name$='duration']");
      const warning = card.querySelector("[data-shot-warning]");
      if (!lines || !duration || !warning) return;
      const needed = shotSeconds(lines), seconds = parseFloat(duration.value) || 0;
      warning.hidden = needed <= seconds + 0.05;
      if (!warning.hidden) warning.textContent = `≈ ${needed.toFixed(1)} s of lines > ${seconds.toFixed(1)} s`;
    });
  }
  form.addEventListener("input", update);
})();

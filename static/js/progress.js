// Live status of a film or an avatar: a WebSocket first, polling the status URL when it fails.
// The element carrying data-live holds the kind, id and polling URL; the page reloads when done.
(function () {
  const box = document.querySelector("[data-live]");
  if (!box) return;
  const bar = box.querySelector("[data-bar]"), label = box.querySelector("[data-stage]"), percent = box.querySelector("[data-percent]");
  const finalStates = ["done", "ready", "failed"];
  let polling = null, finished = false;
  // The page cannot set the bar's width in a style attribute (the Content-Security-Policy blocks
  // inline styles), so the script starts it at the value the page was rendered with.
  if (bar) bar.style.width = (bar.parentElement.getAttribute("aria-valuenow") || 0) + "%";

  function show(event) {
    if (bar && typeof event.progress === "number") { bar.style.width = event.progress + "%"; bar.parentElement.setAttribute("aria-valuenow", event.progress); }
    if (percent && typeof event.progress === "number") percent.textContent = event.progress + "%";
    if (label) label.textContent = describe(event);
    box.dataset.status = event.status;
    if (finalStates.includes(event.status) && !finished) { finished = true; setTimeout(() => location.reload(), 400); }
  }
  function describe(event) {
    const words = JSON.parse(box.dataset.words || "{}");
    let text = words[event.stage] || event.status_label || event.stage || "";
    if (event.shots) text += " · " + (words.shot_label || "shot") + " " + event.shot + "/" + event.shots;
    if (event.steps) text += " · " + (words.step_label || "step") + " " + event.step + "/" + event.steps;
    if (event.queue_position) text += " · " + (words.position_label || "#") + " " + event.queue_position;
    return text;
  }
  function poll() {
    if (polling) return;
    polling = setInterval(() => fetch(box.dataset.pollUrl, {credentials: "same-origin"})
      .then(r => r.ok ? r.json() : null).then(e => e && show(e)).catch(() => {}), 2000);
  }
  try {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/${box.dataset.kind}/${box.dataset.id}/`);
    socket.onmessage = (message) => show(JSON.parse(message.data));
    socket.onerror = poll;
    socket.onclose = () => { if (!finished) poll(); };
  } catch (error) { poll(); }
})();

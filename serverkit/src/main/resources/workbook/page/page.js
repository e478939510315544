// The live page: one WebSocket to the server that served this page, and a line for everything that
// crosses it. A browser's WebSocket API is all it needs: new WebSocket(address), then send() and
// four events: open, message, error and close.
"use strict";

// The names of the close codes a lesson meets (RFC 6455, section 7.4.1).
const CLOSE_CODES = {
  1000: "normal closure",
  1001: "going away",
  1002: "protocol error",
  1003: "unsupported data",
  1005: "no code given",
  1006: "closed abnormally, without a close frame",
  1008: "policy violation",
  1009: "message too big",
  1011: "server error",
  1012: "service restart",
};
// A page left open for hours on a clock lesson must not grow without end: the oldest lines go.
const MAX_LINES = 500;
// A binary message may be 256 KiB; its first bytes tell enough.
const MAX_BYTES_SHOWN = 64;

const address = document.getElementById("address");
const status = document.getElementById("status");
const messages = document.getElementById("messages");
const text = document.getElementById("text");

let socket;

function connect() {
  clearTimeout(resume.timer);
  if (socket && socket.readyState < WebSocket.CLOSING) {
    socket.close(1000, "reconnecting");
    line("event", "close", "1000 normal closure: this page reconnects");
  }
  socket = undefined;
  let ws;
  try {
    ws = new WebSocket(address.value);
  } catch (error) {
    // An address that is not ws:// or wss://, say, fails at once, with no close event to follow.
    setStatus("closed", "not connected");
    line("event", "error", `${address.value}: ${error.message}`);
    return;
  }
  // Binary messages arrive as an ArrayBuffer, ready to read, rather than as a Blob.
  ws.binaryType = "arraybuffer";
  socket = ws;
  setStatus("connecting", "connecting");
  // Events of a socket this page has since replaced say nothing about the current one.
  let wasOpen = false;
  ws.onopen = () => {
    wasOpen = true;
    ws === socket && opened(ws);
  };
  ws.onmessage = (event) => ws === socket && (noteSeq(event.data), show("in", event.data));
  // The browser hides why a connection failed, on purpose; the close event that follows has the code.
  ws.onerror = () => ws === socket && line("event", "error", "the connection failed; the close code follows");
  ws.onclose = (event) => ws === socket && closed(event, wasOpen);
}

function opened(ws) {
  setStatus("open", "open");
  line("event", "open", ws.url);
}

function closed(event, wasOpen) {
  const description = [event.code, CLOSE_CODES[event.code]].filter(Boolean).join(" ")
    + (event.reason ? `: ${event.reason}` : "");
  setStatus("closed", `closed ${description}` + (wasOpen ? "" : ", refused before it opened"));
  line("event", "close", description);
  if (!wasOpen) {
    // The server answered the upgrade with an HTTP error, or none: the browser hides which, on purpose.
    line("event", "refused", "the server did not upgrade this request, and the browser hides its HTTP answer."
      + " See it in a terminal: " + upgradeCommand(event.target.url));
  }
  resumeLater(event.code);
}

/** A curl command that asks for the same upgrade and prints the server's HTTP answer. */
function upgradeCommand(url) {
  const http = url.replace(/^ws/, "http");
  return `curl -i -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13"`
    + ` -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" -H "Origin: ${location.origin}" '${http}'`;
}

// Resuming (the lesson on reconnecting): once a message carries an epoch and a seq, the page keeps
// the last pair, and when the connection drops it reconnects on its own and asks for what it missed
// with ?epoch=&since=. A seq is a number (lesson 10) or a Redis stream id such as "1733450000000-0"
// (lesson 11). Pages of lessons whose messages carry no seq behave as before.
const resume = { epoch: undefined, seq: undefined, attempts: 0, timer: undefined };

function noteSeq(data) {
  const json = parseJson(data);
  if (typeof json?.epoch === "string" && (Number.isInteger(json.seq) || /^\d+-\d+$/.test(json.seq))) {
    Object.assign(resume, { epoch: json.epoch, seq: json.seq, attempts: 0 });
  }
}

/** Exponential backoff, 0.5 s doubling to 15 s, with jitter: a thousand pages do not all come back at once. */
function resumeLater(code) {
  if (resume.seq === undefined || code === 1000) {
    return;
  }
  const delay = Math.round(Math.min(15000, 500 * 2 ** resume.attempts++) * (0.5 + Math.random() / 2));
  line("event", "resume", `reconnecting in ${delay} ms, since ${resume.seq}`);
  resume.timer = setTimeout(() => {
    const url = new URL(address.value);
    url.searchParams.set("epoch", resume.epoch);
    url.searchParams.set("since", resume.seq);
    address.value = url.href;
    connect();
  }, delay);
}

function setStatus(state, description) {
  status.dataset.state = state;
  status.textContent = description;
}

/** A message, pushed by the server ("in") or sent from this page ("out"), shown for its kind. */
function show(direction, data) {
  if (data instanceof ArrayBuffer) {
    const bytes = new Uint8Array(data);
    const shown = bytes.subarray(0, MAX_BYTES_SHOWN).join(" ");
    line(direction, `binary, ${bytes.length} bytes`, bytes.length > MAX_BYTES_SHOWN ? `${shown} …` : shown);
    return;
  }
  const json = parseJson(data);
  if (json === undefined) {
    line(direction, "text", data);
  } else {
    line(direction, "JSON", pretty(json));
  }
}

/** JSON two spaces a level, but an array of plain values on one line: [0, 1, 2, 3, 4]. */
function pretty(json) {
  // JSON.stringify escapes line breaks within strings, so every line break here is its layout.
  return JSON.stringify(json, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g,
    (array, values) => `[${values.split(/,\n\s*/).join(", ")}]`);
}

/** The object or array that a text holds, or undefined for any other text. */
function parseJson(data) {
  if (!/^\s*[{[]/.test(data)) {
    return undefined;
  }
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function line(kind, label, content) {
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.label = label;
  const meta = document.createElement("div");
  meta.className = "meta";
  const arrow = { in: "↓ received", out: "↑ sent", event: "•" }[kind];
  meta.textContent = `${arrow} ${new Date().toLocaleTimeString()} · ${label}`;
  const body = document.createElement("pre");
  // textContent, never innerHTML: what the network sends is shown as text, not run as markup.
  body.textContent = content;
  item.append(meta, body);
  // Follow the newest line, unless the learner has scrolled up to read an older one.
  const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  messages.append(item);
  while (messages.children.length > MAX_LINES) {
    messages.firstElementChild.remove();
  }
  if (atBottom) {
    item.scrollIntoView({ block: "end" });
  }
}

document.getElementById("connect").addEventListener("submit", (event) => {
  event.preventDefault();
  connect();
});

document.getElementById("send").addEventListener("submit", (event) => {
  event.preventDefault();
  if (socket?.readyState !== WebSocket.OPEN) {
    const why = socket?.readyState === WebSocket.CONNECTING ? "still connecting: try again in a moment"
      : "the connection is not open: press Reconnect";
    line("event", "not sent", why);
    return;
  }
  socket.send(text.value);
  show("out", text.value);
  text.value = "";
});

// The server that served this page is the one to talk to; ?path=/json picks another endpoint of it.
// Only the path: whatever ?path= holds, the host stays this page's own. The page's other query
// parameters go on to the WebSocket address: /?user=alice connects to ws://host/?user=alice.
const start = new URL(location.href);
start.protocol = location.protocol === "https:" ? "wss:" : "ws:";
const query = new URLSearchParams(location.search);
start.pathname = query.get("path") || "/";
query.delete("path");
start.search = query.toString();
start.hash = "";
address.value = start.href;
connect();

// indoquote page: sends the article to POST /v1/quotes and draws the records it gets back.
// Everything from the article or the server goes in with textContent / createTextNode, never as HTML.
"use strict";

const LABELS = {  // label -> [CSS class of marks.css, short name]; as indoquote.html draws them
  STATEMENT: ["STATEMENT", "QUOTE"], QUOTE: ["STATEMENT", "QUOTE"], INDIRECT: ["INDIRECT", "INDIRECT"],
  PERSON: ["PERSON", "PERSON"], SPEAKER: ["PERSON", "PERSON"], PERSONCOREF: ["PERSONCOREF", "COREF"],
  CUE: ["CUE", "CUE"], CUECOREF: ["CUECOREF", "CUE·NYA"], ROLE: ["ROLE", "ROLE"], AFFILIATION: ["AFFILIATION", "ORG"],
};
const CSV_COLUMNS = ["id", "n", "kind", "speaker", "role", "affiliation", "confidence", "speaker_reason", "cue",
  "quote", "start", "end"];

const $ = (id) => document.getElementById(id);
let last = null;  // {text, result}: what the downloads save

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(typeof c === "string" ? document.createTextNode(c) : c);
  return node;
}

function say(message, error) {
  $("status").textContent = message;
  $("status").classList.toggle("error", !!error);
}

// Offsets from the server count code points (Python); JavaScript strings count UTF-16 units.
function spansToDraw(records) {
  const spans = [];
  records.forEach((r, i) => {
    const n = i + 1;
    const quoteLabel = r.kind === "indirect" ? "INDIRECT" : "STATEMENT";
    spans.push({start: r.start, end: r.end, label: quoteLabel, n, speaker: r.speaker});
    const mentions = [...(r.spans || []), ...(r.speaker_mention ? [r.speaker_mention] : [])];
    for (const m of mentions) {
      if (m.start === r.start && m.end === r.end) continue;  // the quotation itself
      if (!(m.label in LABELS)) continue;
      const isSpeaker = r.speaker_mention && m.start === r.speaker_mention.start && m.end === r.speaker_mention.end;
      spans.push({start: m.start, end: m.end, label: m.label, of: n, isSpeaker});
    }
  });
  const seen = new Map();
  for (const s of spans) {  // one mark per span; a mention used by several quotations lists them all
    const key = `${s.start}:${s.end}:${s.label}`;
    if (seen.has(key)) { if (s.of) seen.get(key).ofs.push(s.of); continue; }
    seen.set(key, {...s, ofs: s.of ? [s.of] : []});
  }
  return [...seen.values()].sort((a, b) => a.start - b.start || (a.label !== "INDIRECT") - (b.label !== "INDIRECT"));
}

function drawText(text, records) {
  const cps = Array.from(text);
  const slice = (a, b) => cps.slice(a, b).join("");
  const box = $("marked");
  box.replaceChildren();
  let pos = 0;
  for (const s of spansToDraw(records)) {
    if (s.start < pos || s.end > cps.length) continue;  // inside a drawn span (e.g. a cue within reported speech)
    box.append(document.createTextNode(slice(pos, s.start)));
    const [cls, short] = LABELS[s.label];
    const mark = el("mark", {class: `e ${cls}` + (s.isSpeaker ? " speaker" : "")});
    mark.dataset.label = s.label;
    if (s.n) {
      mark.dataset.record = String(s.n);
      mark.id = `s${s.n}`;
      mark.title = `quotation ${s.n}: ${s.speaker || "speaker unknown"}`;
      mark.append(el("a", {class: "n", href: `#q${s.n}`}, String(s.n)));
    } else {
      mark.title = `${s.label} (quotation ${s.ofs.join(", ")})`;
    }
    mark.append(document.createTextNode(slice(s.start, s.end)), el("span", {class: "l"}, short));
    box.append(mark);
    pos = s.end;
  }
  box.append(document.createTextNode(slice(pos, cps.length)));
}

function confidenceText(r) {
  return r.confidence === null || r.confidence === undefined ? "rules" : r.confidence.toFixed(2);
}

function drawTable(records) {
  const body = $("who").tBodies[0];
  body.replaceChildren();
  records.forEach((r, i) => {
    const n = i + 1;
    const speaker = el("td", {class: "speaker", "data-label": "Speaker"});
    if (r.speaker) speaker.textContent = r.speaker;
    else speaker.append(el("span", {class: "unk"}, "speaker unknown"),
      el("span", {class: "kind"}, r.speaker_reason || ""));
    const quote = el("td", {class: "quote", "data-label": "Quotation"}, r.quote);
    if (r.kind === "indirect") quote.append(el("span", {class: "kind"}, "reported speech"));
    const row = el("tr", {id: `q${n}`},
      el("td", {class: "num"}, el("a", {class: "n", href: `#s${n}`}, String(n))),
      speaker,
      el("td", {class: "role", "data-label": "Role"}, r.role || ""),
      el("td", {class: "affiliation", "data-label": "Affiliation"}, r.affiliation || ""),
      el("td", {class: "confidence", "data-label": "Confidence"}, confidenceText(r)),
      quote);
    row.dataset.record = String(n);
    body.append(row);
  });
  $("none").hidden = records.length > 0;
  const speakers = new Set(records.filter((r) => r.speaker).map((r) => r.speaker)).size;
  $("summary").textContent = `${records.length} quotation(s), ${speakers} speaker(s)`;
}

// A cell a spreadsheet would run as a formula (= + - @, tab, CR) is written with a leading apostrophe.
function csvCell(value) {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return `"${s.replace(/"/g, '""')}"`;
}

function toCsv(result) {
  const lines = [CSV_COLUMNS.join(",")];
  result.quotes.forEach((r, i) => {
    const row = {...r, id: result.id, n: i + 1, cue: r.cue ? r.cue.text : ""};
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(","));
  });
  return lines.join("\r\n") + "\r\n";
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], {type}));
  const a = el("a", {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function run(event) {
  event.preventDefault();
  const text = $("text").value;
  if (!text.trim()) { say("Paste an article first.", true); return; }
  const kinds = ["direct", "indirect"].filter((k) => $(`kind-${k}`).checked);
  if (!kinds.length) { say("Choose at least one kind.", true); return; }
  const body = {text, kinds};
  const floor = $("min-confidence").value;
  if (floor !== "") body.min_confidence = Number(floor);
  const headers = {"Content-Type": "application/json"};
  const key = $("api-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  $("run").disabled = true;
  say("Reading the article…");
  try {
    const response = await fetch("/v1/quotes", {method: "POST", headers, body: JSON.stringify(body)});
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (response.status === 401) $("key-box").open = true;
      say(`Error ${response.status}: ${data.detail || response.statusText}`, true);
      return;
    }
    last = {text, result: data};
    drawText(text, data.quotes);
    drawTable(data.quotes);
    $("result").hidden = false;
    say(`Found ${data.quotes.length} quotation(s).`);
  } catch (e) {
    say(`The server did not answer: ${e.message}`, true);
  } finally {
    $("run").disabled = false;
  }
}

function upload() {
  const file = $("file").files[0];
  if (!file) return;
  file.text().then((t) => { $("text").value = t.replace(/^\uFEFF/, ""); say(`Loaded ${file.name}.`); },
    () => say(`Cannot read ${file.name}.`, true));
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = sessionStorage.getItem("indoquote-key") || "";
  $("api-key").addEventListener("change", () => sessionStorage.setItem("indoquote-key", $("api-key").value));
  $("form").addEventListener("submit", run);
  $("file").addEventListener("change", upload);
  $("download-json").addEventListener("click", () => last && download(
    "indoquote.json", "application/json", JSON.stringify(last.result, null, 2) + "\n"));
  $("download-csv").addEventListener("click", () => last && download("indoquote.csv", "text/csv", toCsv(last.result)));
});

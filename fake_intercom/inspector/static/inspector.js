// The inspector's one script: JSON forms and buttons that call the control plane or the inspector,
// copy buttons, the workspace switcher, and the live journal. Pages are whole without it but cannot act.
"use strict";

function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("shown"), 3000);
}

// Intercom's error.list (or anything else a failed call answered) as one line.
async function failure(response) {
  try {
    const body = await response.json();
    const error = (body.errors || [])[0] || {};
    return `${response.status} ${error.code || ""}: ${error.message || response.statusText}`;
  } catch (ignored) {
    return `${response.status} ${response.statusText}`;
  }
}

async function call(url, method, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(await failure(response));
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

// After a successful call: go where `then` says ({field} filled from the answer), or reload.
function proceed(then, answer, done) {
  if (done) toast(done);
  if (then) {
    location.assign(then.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(answer[key])));
  } else {
    setTimeout(() => location.reload(), done ? 600 : 0);
  }
}

function fieldValue(field) {
  if (field.type === "checkbox") return field.checked;
  const value = field.value.trim();
  if (value === "") return undefined;
  switch (field.dataset.type) {
    case "number": return Number(value);
    case "list": return value.split(",").map((item) => item.trim()).filter(Boolean);
    case "json": return JSON.parse(value);
    default: return field.value;
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-json")) return;
  event.preventDefault();
  const output = form.querySelector("output");
  const body = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled) continue;
    const value = fieldValue(field);
    if (value !== undefined) body[field.name] = value;
  }
  if (output) output.textContent = "";
  const button = form.querySelector("[type=submit]");
  if (button) button.disabled = true;
  try {
    const answer = await call(form.getAttribute("action"), form.dataset.method || "POST", body);
    proceed(form.dataset.then, answer, form.dataset.done);
  } catch (error) {
    if (output) output.textContent = error.message; else toast(error.message);
    if (button) button.disabled = false;
  }
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.copy !== undefined) {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      toast("Copied");
    } catch (ignored) {
      toast("Copy failed: select the text instead");
    }
    return;
  }
  if (button.dataset.call === undefined) return;
  if (button.dataset.confirm && !confirm(button.dataset.confirm)) return;
  button.disabled = true;
  try {
    const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
    const answer = await call(button.dataset.call, button.dataset.method || "POST", body);
    proceed(button.dataset.then, answer, button.dataset.done);
  } catch (error) {
    toast(error.message);
    button.disabled = false;
  }
});

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-navigate]")) location.assign(field.value);
  if (field.matches("select[data-rename]")) document.querySelector(field.dataset.rename).name = field.value;
});

// "/" jumps to the page's search box, as in most inboxes.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.target.closest("input, textarea, select")) return;
  const search = document.querySelector("[data-search]");
  if (search) {
    event.preventDefault();
    search.focus();
  }
});

function liveJournal(rows) {
  const url = new URL(rows.dataset.stream, location.href);
  url.searchParams.set("after", rows.dataset.after);
  const status = document.getElementById("live");
  const source = new EventSource(url);
  source.addEventListener("open", () => { status.textContent = "Live"; status.classList.remove("off"); });
  source.addEventListener("error", () => { status.textContent = "Reconnecting…"; status.classList.add("off"); });
  source.addEventListener("entry", (event) => {
    rows.insertAdjacentHTML("afterbegin", event.data);
    const empty = document.getElementById("journal-empty");
    if (empty) empty.remove();
    while (rows.rows.length > 500) rows.deleteRow(-1);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const rows = document.querySelector("[data-stream]");
  if (rows) liveJournal(rows);
});

/* Shared by the pages: calling the API, showing its problem messages, money and time in words. */
"use strict";

const Anju = (() => {
  const ZONE = "Asia/Shanghai";

  /** A v4 UUID; crypto.randomUUID needs HTTPS, getRandomValues works on a plain-HTTP village LAN too. */
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** "12,460.5" → 1246050. Strings and integers only: a float would lose a fen on some amounts. */
  function yuanToFen(text) {
    const s = String(text)
      .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
      .replace(/[．。]/g, ".")
      .replace(/[,，\s元¥￥]/g, "");
    if (s === "") return null;
    const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
    if (!m) return undefined;
    return parseInt(m[1] + (m[2] || "").padEnd(2, "0"), 10);
  }

  function fenToYuan(fen) {
    const s = String(Math.abs(fen)).padStart(3, "0");
    const whole = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${fen < 0 ? "-" : ""}${whole}.${s.slice(-2)}`;
  }

  function when(iso, withTime = true) {
    if (!iso) return "";
    const options = { timeZone: ZONE, year: "numeric", month: "long", day: "numeric" };
    if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit", hour12: false });
    return new Intl.DateTimeFormat("zh-CN", options).format(new Date(iso));
  }

  /** Now in Beijing time as a datetime-local value ("2026-03-04T17:30"), whatever the phone's zone. */
  function nowLocalInput() {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(new Date()).map((p) => [p.type, p.value])
    );
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  }

  class Problem extends Error {
    constructor(status, body) {
      super((body && body.message_zh) || `请求失败（${status}）`);
      this.status = status;
      this.body = body || {};
    }
  }

  async function api(method, path, { json, form, headers = {} } = {}) {
    const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin" };
    if (json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    } else if (form) {
      init.body = form;
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new Problem(0, { message_zh: "网络不通，请检查网络后再试" });
    }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (err) { body = null; }
    if (!response.ok) throw new Problem(response.status, body);
    return body;
  }

  function showProblem(box, err, fieldNames = {}) {
    if (!err) { box.hidden = true; box.textContent = ""; return; }
    let message = err.message || "出错了，请再试一次";
    const keys = ((err.body && err.body.errors) || []).map((e) => e && (e.key || e.field)).filter(Boolean);
    const named = keys.map((k) => fieldNames[k]).filter(Boolean);
    if (named.length) message += `（请检查：${[...new Set(named)].join("、")}）`;
    box.textContent = message;
    box.hidden = false;
    box.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  function toLogin() {
    window.location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }

  return { newKey, yuanToFen, fenToYuan, when, nowLocalInput, api, Problem, showProblem, toLogin };
})();

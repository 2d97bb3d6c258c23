/* The assessment at the door: line items, photos uploaded as soon as they are taken, the resident's
   acknowledgement. Everything typed is kept in localStorage (a reload or a failed request loses
   nothing), and one Idempotency-Key per form, kept with it, makes a double tap record once. */
"use strict";

(() => {
  const form = document.getElementById("assess-form");
  const problem = document.getElementById("problem");
  const visitId = form.dataset.visit;
  const PERILS = JSON.parse(form.dataset.perils);
  const STORE = `anju.assess.${visitId}`;
  const linesBox = document.getElementById("lines");
  const photoList = document.getElementById("photo-list");
  const submit = document.getElementById("submit");
  const RETRIES = 3;
  let state = load();
  let posting = false;

  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORE) || "null");
      if (saved && saved.key) return saved;
    } catch (err) { /* a damaged entry is replaced below */ }
    return { key: Anju.newKey(), lines: [{}], notes: "", acknowledged_by: "", acknowledged: false, photos: [] };
  }

  function save() {
    state.lines = Array.from(linesBox.children, (row) => ({
      item: row.querySelector("[name=item]").value,
      quantity: row.querySelector("[name=quantity]").value,
      unit_yuan: row.querySelector("[name=unit_yuan]").value,
      mode: row.querySelector("[name=mode]").value,
      amount: row.querySelector("[name=amount]").value,
    }));
    state.notes = form.querySelector("#notes").value;
    state.acknowledged_by = form.querySelector("#acknowledged_by").value;
    state.acknowledged = form.querySelector("#acknowledged").checked;
    localStorage.setItem(STORE, JSON.stringify(state));
  }

  function addLine(values = {}) {
    const row = document.getElementById("line-template").content.firstElementChild.cloneNode(true);
    for (const name of ["item", "quantity", "unit_yuan", "mode", "amount"]) {
      if (values[name] !== undefined) row.querySelector(`[name=${name}]`).value = values[name];
    }
    row.querySelector(".remove").addEventListener("click", () => {
      row.remove();
      if (!linesBox.children.length) addLine();
      save();
    });
    linesBox.append(row);
  }

  function showPhoto(entry, { file = null, failed = false } = {}) {
    let item = photoList.querySelector(`[data-name="${CSS.escape(entry.name)}"]`);
    if (!item) {
      item = document.createElement("li");
      item.dataset.name = entry.name;
      photoList.append(item);
    }
    item.replaceChildren();
    if (file) item.append(Object.assign(document.createElement("img"), { src: URL.createObjectURL(file), alt: "" }));
    const status = document.createElement("span");
    status.className = "status";
    status.textContent = entry.id ? `${entry.name} · 已上传` : failed ? `${entry.name} · 上传失败` : `${entry.name} · 上传中…`;
    item.append(status);
    if (failed && file) {
      const retry = Object.assign(document.createElement("button"), { type: "button", textContent: "重试" });
      retry.addEventListener("click", () => upload(file));
      item.append(retry);
    }
  }

  // Each photo goes up on its own, retried a few times; the same bytes again return the same record.
  async function upload(file) {
    const entry = { name: file.name || "photo", id: null };
    showPhoto(entry, { file });
    for (let attempt = 1; attempt <= RETRIES; attempt += 1) {
      const data = new FormData();
      data.append("files", file, entry.name);
      try {
        const [stored] = await Anju.api("POST", `/visits/${visitId}/photos`, { form: data });
        entry.id = stored.id;
        if (!state.photos.some((p) => p.id === stored.id)) state.photos.push(entry);
        save();
        showPhoto(entry, { file });
        return;
      } catch (err) {
        if (err.status === 401) return Anju.toLogin();
        if (err.status !== 0 && err.status < 500) {
          Anju.showProblem(problem, err);
          break;
        }
      }
    }
    showPhoto(entry, { file, failed: true });
  }

  const whole = (text) => (/^\d{1,6}$/.test(String(text).trim()) ? parseInt(text, 10) : undefined);

  /** "12.5" (%) → 1250 basis points: the same two-decimal integer parse as money. */
  const bps = (text) => Anju.yuanToFen(String(text).replace(/[%％]/g, ""));

  function body() {
    const lines = state.lines.map((line, index) => {
      const at = `第 ${index + 1} 项`;
      const quantity = whole(line.quantity);
      const unit = Anju.yuanToFen(line.unit_yuan || "");
      if (!String(line.item || "").trim()) throw new Anju.Problem(422, { message_zh: `${at}：请填写物品名称` });
      if (!quantity) throw new Anju.Problem(422, { message_zh: `${at}：数量请填整数` });
      if (!unit) throw new Anju.Problem(422, { message_zh: `${at}：单价请填数字，最多两位小数` });
      const out = { item: line.item.trim(), quantity, unit_value_fen: unit };
      const amount = String(line.amount || "").trim();
      if (amount && line.mode === "rate") out.depreciation_bps = bps(amount);
      else if (amount) out.age_years = whole(amount);
      if (out.depreciation_bps === undefined && out.age_years === undefined && amount) {
        throw new Anju.Problem(422, { message_zh: `${at}：年数请填整数，比例请填 0 到 100` });
      }
      return out;
    });
    if (!state.acknowledged_by.trim() || !state.acknowledged) {
      throw new Anju.Problem(422, { message_zh: "请住户填写姓名并勾选确认" });
    }
    return {
      lines,
      notes: state.notes.trim() || null,
      photo_ids: state.photos.map((p) => p.id),
      acknowledged_by: state.acknowledged_by.trim(),
      acknowledged: state.acknowledged,
    };
  }

  function showResult(assessment) {
    const yuan = Anju.fenToYuan;
    document.getElementById("payable").textContent = yuan(assessment.payable_fen);
    document.getElementById("advance").textContent = yuan(assessment.advance_paid_fen);
    document.getElementById("final").textContent = yuan(assessment.final_payout_fen);
    document.getElementById("owed").textContent = yuan(assessment.owed_back_fen);
    document.getElementById("owed-row").hidden = !assessment.owed_back_fen;
    const steps = document.getElementById("steps");
    steps.replaceChildren(
      ...assessment.steps.map((step) => {
        const li = document.createElement("li");
        li.textContent = `${step.label_zh}：${yuan(step.amount_fen)} 元${step.detail ? `（${step.detail}）` : ""}`;
        return li;
      })
    );
    form.hidden = true;
    document.getElementById("result").hidden = false;
    localStorage.removeItem(STORE);
  }

  async function record(event) {
    event.preventDefault();
    if (posting) return;
    Anju.showProblem(problem, null);
    save();
    let data;
    try {
      data = body();
    } catch (err) {
      Anju.showProblem(problem, err);
      return;
    }
    posting = true;
    submit.disabled = true;
    try {
      showResult(await Anju.api("POST", `/visits/${visitId}/assessment`, {
        json: data, headers: { "Idempotency-Key": state.key },
      }));
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      // Recorded already (an earlier tap whose answer was lost): show what was recorded.
      if (["already_assessed", "idempotency_key_reused"].includes(err.body.code)) return start();
      Anju.showProblem(problem, err);
    } finally {
      posting = false;
      submit.disabled = false;
    }
  }

  async function start() {
    let sheet;
    try {
      sheet = await Anju.api("GET", `/visits/${visitId}/assessment-form`);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
      return;
    }
    if (sheet.assessment) return showResult(sheet.assessment);
    document.getElementById("claim-card").textContent = [
      `${sheet.claim_number} · ${PERILS[sheet.peril] || sheet.peril}`,
      `户主 ${sheet.household_head} · ${sheet.address}`,
      `报案人 ${sheet.claimant_name} ${sheet.claimant_phone}`,
      `经过：${sheet.description}`,
      `估计损失 ${sheet.estimated_loss_fen === null ? "未填" : Anju.fenToYuan(sheet.estimated_loss_fen) + " 元"}`,
      `本案赔付上限 ${Anju.fenToYuan(sheet.payable_cap_fen)} 元 · 已付预赔 ${Anju.fenToYuan(sheet.advance_paid_fen)} 元`,
    ].join("\n");
    for (const photo of sheet.photos) {
      if (!state.photos.some((p) => p.id === photo.id)) state.photos.push({ id: photo.id, name: photo.filename });
    }
    linesBox.replaceChildren();
    for (const line of state.lines.length ? state.lines : [{}]) addLine(line);
    for (const photo of state.photos) showPhoto(photo);
    form.querySelector("#notes").value = state.notes;
    form.querySelector("#acknowledged_by").value = state.acknowledged_by;
    form.querySelector("#acknowledged").checked = state.acknowledged;
    form.hidden = false;
    save();
  }

  document.getElementById("add-line").addEventListener("click", () => { addLine(); save(); });
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", record);
  document.getElementById("photos").addEventListener("change", (event) => {
    for (const file of Array.from(event.target.files || [])) upload(file);
    event.target.value = "";
  });
  start();
})();

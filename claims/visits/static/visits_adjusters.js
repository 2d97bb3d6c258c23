/* The officers' adjusters page: list, register, and mark days off, through /adjusters. */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const done = document.getElementById("done");
  const rows = document.querySelector("#adjusters tbody");
  const select = document.getElementById("off_adjuster");
  const WEEKDAYS = "一二三四五六日";

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: String(text) });
  }

  async function load() {
    try {
      const adjusters = await Anju.api("GET", "/adjusters");
      rows.replaceChildren(
        ...adjusters.map((a) => {
          const row = document.createElement("tr");
          row.append(
            cell(a.name), cell(a.village_codes.join("、")), cell(a.daily_capacity),
            cell(a.working_weekdays.map((d) => WEEKDAYS[d - 1]).join("")), cell(a.active ? "在岗" : "停用")
          );
          return row;
        })
      );
      select.replaceChildren(
        ...adjusters.map((a) => Object.assign(document.createElement("option"), { value: a.id, textContent: a.name }))
      );
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  async function send(form, path, json) {
    Anju.showProblem(problem, null);
    done.hidden = true;
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      // One key per form filling: a double tap or a retry after a timeout records once.
      form.dataset.key = form.dataset.key || Anju.newKey();
      const body = await Anju.api("POST", path, { json, headers: { "Idempotency-Key": form.dataset.key } });
      delete form.dataset.key;
      return body;
    } catch (err) {
      Anju.showProblem(problem, err);
      return null;
    } finally {
      button.disabled = false;
    }
  }

  document.getElementById("add-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    const body = await send(f, "/adjusters", {
      user_id: f.user_id.value.trim(),
      village_codes: f.village_codes.value.split(/[,，\s]+/).filter(Boolean),
      home_village_code: f.home_village_code.value.trim(),
      daily_capacity: Number(f.daily_capacity.value),
    });
    if (body) { done.textContent = `已登记：${body.name}`; done.hidden = false; load(); }
  });

  document.getElementById("off-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    const body = await send(f, `/adjusters/${f.adjuster.value}/days-off`, { day: f.day.value, reason: f.reason.value });
    if (body) {
      done.textContent = `已登记休息：重新安排 ${body.replanned} 户，待人工安排 ${body.unplanned} 户。`;
      done.hidden = false;
    }
  });

  load();
})();

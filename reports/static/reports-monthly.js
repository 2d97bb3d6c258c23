/* The monthly reports: the builds of the caller's districts (GET /reports/monthly-reports), a request
   for one (POST, officers and admins), and while any is still queued the list is asked again. */
"use strict";

(() => {
  const POLL_MS = 2000;
  const problem = document.getElementById("problem");
  const table = document.getElementById("builds");
  const form = document.getElementById("ask");

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: String(text) });
  }

  function draw(builds) {
    table.tBodies[0].replaceChildren(
      ...builds.map((b) => {
        const row = document.createElement("tr");
        row.dataset.id = b.id;
        const file = cell("");
        if (b.download_href) {
          file.append(Object.assign(document.createElement("a"), { href: b.download_href, textContent: "下载 PDF" }));
        }
        row.append(cell(b.month), cell(b.district_code), cell(b.status === "done" ? "已生成" : "生成中…"), file);
        return row;
      })
    );
    table.hidden = builds.length === 0;
  }

  async function refresh() {
    const builds = await Anju.api("GET", "/reports/monthly-reports");
    draw(builds);
    if (builds.some((b) => b.status !== "done")) setTimeout(() => refresh().catch((err) => Anju.showProblem(problem, err)), POLL_MS);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await Anju.api("POST", "/reports/monthly-reports", {
        json: { district_code: document.getElementById("district").value.trim(), month: document.getElementById("month").value },
        headers: { "Idempotency-Key": Anju.newKey() },
      });
      Anju.showProblem(problem, null);
      await refresh();
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  });

  (async () => {
    try {
      const me = await Anju.api("GET", "/auth/me");
      if (me.role === "claims_officer" || me.role === "admin") {
        document.getElementById("district").value = (me.regions[0] || "").slice(0, 6);
        form.hidden = false;
      }
      await refresh();
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  })();
})();

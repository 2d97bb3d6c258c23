/* Finance's page: approved payouts waiting (GET /payouts?status=approved&unbatched=true), building a
   batch (POST /payment-batches), exporting it to the bank (POST /payment-batches/{id}/export), then
   its bank files (read-only downloads), and importing a bank result CSV (POST …/results). Every rule
   is the API's. */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const message = document.getElementById("message");
  const STATUS_ZH = { open: "待导出", exported: "已发送银行", settled: "已结清" };
  const KIND_ZH = { advance: "预赔款", final: "赔款" };

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: String(text) });
  }

  function link(href, text) {
    const td = document.createElement("td");
    td.append(Object.assign(document.createElement("a"), { href, textContent: text }));
    return td;
  }

  async function showReady() {
    const page = await Anju.api("GET", "/payouts?status=approved&unbatched=true");
    document.querySelector("#ready tbody").replaceChildren(
      ...page.items.map((p) => {
        const row = document.createElement("tr");
        row.append(cell(p.claim_number), cell(KIND_ZH[p.kind] || p.kind), cell(p.payee_name),
          cell(p.payee_account_masked), cell(Anju.fenToYuan(p.amount_fen)));
        return row;
      })
    );
  }

  // An open batch is exported first (its payouts go to the bank); only then are its files there.
  function bankFiles(batch) {
    if (batch.status !== "open") {
      const files = link(`/payment-batches/${batch.id}/bank-file.csv`, "CSV");
      files.append(" · ", Object.assign(document.createElement("a"), {
        href: `/payment-batches/${batch.id}/pain001.xml`, textContent: "pain.001",
      }));
      return files;
    }
    const td = document.createElement("td");
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: "导出" });
    button.addEventListener("click", async () => {
      try {
        await Anju.api("POST", `/payment-batches/${batch.id}/export`);
        Anju.showProblem(problem, null);
        await refresh();
      } catch (err) {
        Anju.showProblem(problem, err);
      }
    });
    td.append(button);
    return td;
  }

  function uploader(batch) {
    const td = document.createElement("td");
    const input = Object.assign(document.createElement("input"), { type: "file", accept: ".csv,text/csv" });
    input.setAttribute("aria-label", `导入 ${batch.number} 的银行回单`);
    input.dataset.batch = batch.number;
    input.addEventListener("change", async () => {
      if (!input.files.length) return;
      try {
        const text = await input.files[0].text();
        const report = await Anju.api("POST", `/payment-batches/${batch.id}/results`, {
          form: text, headers: { "Content-Type": "text/csv", "Idempotency-Key": Anju.newKey() },
        });
        showReport(batch, report);
        await refresh();
      } catch (err) {
        Anju.showProblem(problem, err);
      }
    });
    td.append(input);
    return td;
  }

  function showReport(batch, report) {
    document.getElementById("report-summary").textContent =
      `${batch.number}：共 ${report.lines} 行，到账 ${report.paid} 笔，失败 ${report.failed} 笔，` +
      `此前已导入 ${report.unchanged} 笔，错误 ${report.errors.length} 行`;
    document.getElementById("report-errors").replaceChildren(
      ...report.errors.map((e) => Object.assign(document.createElement("li"), {
        textContent: `第 ${e.line} 行：${e.message_zh}`,
      }))
    );
    document.getElementById("report").hidden = false;
  }

  async function showBatches() {
    const page = await Anju.api("GET", "/payment-batches");
    document.querySelector("#batches tbody").replaceChildren(
      ...page.items.map((b) => {
        const row = document.createElement("tr");
        row.dataset.number = b.number;
        row.append(cell(b.number), cell(STATUS_ZH[b.status] || b.status), cell(b.payout_count),
          cell(Anju.fenToYuan(b.total_fen)), bankFiles(b), uploader(b));
        return row;
      })
    );
  }

  async function refresh() {
    await Promise.all([showReady(), showBatches()]);
  }

  document.getElementById("build").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const region = document.getElementById("region").value.trim();
      const batch = await Anju.api("POST", "/payment-batches", {
        json: { region_code: region }, headers: { "Idempotency-Key": Anju.newKey() },
      });
      message.textContent = `已生成批次 ${batch.number}：${batch.payout_count} 笔，${Anju.fenToYuan(batch.total_fen)} 元`;
      Anju.showProblem(problem, null);
      await refresh();
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  });

  (async () => {
    try {
      await refresh();
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  })();
})();

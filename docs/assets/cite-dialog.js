/* The citation dialog of the section and paragraph cite buttons, loaded by assets/site.js when a
   reader first points at, focuses or presses one (so a page's first load carries none of it).
   Like site.js it formats nothing: the build wrote every text (hooks/_cite.py); this builds the
   dialog from the records of <page>.cite.json and the copy buttons from site.js's
   window.companionCite. It sets window.companionCiteDialog: open(button, records) and
   unavailable(button). */
(function () {
  "use strict";
  var cite = window.companionCite;
  if (!cite) return;
  var data = cite.data;
  var L = data.labels;

  // The same markup as the page block (overrides/partials/cite-this.html), from the build's HTML.
  function sectionBody(section) {
    var body = document.createElement("div");
    data.formats.forEach(function (f) {
      var head = document.createElement("p");
      head.className = "cite-this__format-name";
      head.textContent = f[1];
      var text;
      if (f[0] === "apa") {
        text = document.createElement("p");
        text.className = "cite-this__apa";
      } else {
        text = document.createElement("code");
      }
      text.setAttribute("data-format", f[0]);
      text.innerHTML = section[f[0]];  // the build's escaped text: <em> and access-date spans only
      var box = text;
      if (f[0] !== "apa") {
        box = document.createElement("pre");
        box.className = "cite-this__code";
        box.appendChild(text);
      }
      body.append(head, box);
    });
    return body;
  }

  // One dialog, filled for the section or paragraph whose button was pressed.
  var dialog = document.createElement("dialog");
  dialog.className = "cite-dialog md-typeset";  // the page's type, buttons and code blocks (it sits outside the article)
  dialog.setAttribute("aria-labelledby", "cite-dialog-title");
  var title = document.createElement("h2");
  title.id = "cite-dialog-title";
  title.className = "cite-dialog__title";
  var content = document.createElement("div");
  var dialogStatus = document.createElement("p");
  dialogStatus.className = "cite-status";
  dialogStatus.setAttribute("role", "status");
  dialogStatus.setAttribute("aria-live", "polite");
  var close = document.createElement("button");
  close.type = "button";
  close.className = "md-button cite-dialog__close";
  close.textContent = L.close;
  close.addEventListener("click", function () { dialog.close(); });
  dialog.append(title, content, dialogStatus, close);
  document.body.appendChild(dialog);

  function openDialog(heading, body, formats) {
    title.textContent = heading;
    dialogStatus.textContent = "";
    content.textContent = "";
    content.appendChild(body);
    cite.addButtons(body, dialogStatus, formats);
    dialog.showModal();
    var first = content.querySelector("button");
    if (first) first.focus();
  }

  /* Paragraph level (hooks/paragraphs.py): the same dialog, with the paragraph's section (or page)
     citation at the paragraph's #id, and, once the PDF exists, its page as the locator of the
     in-text citation. The build wrote every text with slots: [data-anchor] for the URL's fragment,
     [data-pdf-page] for the page number, which scripts/build_pdf.py put into the permalink. */
  var EXTRA = [["locator", L.locator], ["in_text", L.in_text]];
  function textBlock(key, name, markup) {
    var head = document.createElement("p");
    head.className = "cite-this__format-name";
    head.textContent = name;
    var text = document.createElement("p");
    text.className = "cite-this__apa";
    text.setAttribute("data-format", key);
    text.innerHTML = markup;  // the build's escaped text with its slots
    return [head, text];
  }
  function paragraph(button, loaded) {
    var link = button.previousElementSibling;
    var id = link && link.getAttribute("href").slice(1);
    var entry = loaded.paragraphs[id] ? loaded.byId[loaded.paragraphs[id]] : loaded.page;
    var pdfPage = link.getAttribute("data-pdf-page") || "";
    var body = document.createElement("div");
    if (pdfPage) body.append.apply(body, textBlock("locator", L.locator, loaded.locator));
    body.append.apply(body, textBlock("in_text", L.in_text, pdfPage ? loaded.in_text.located : loaded.in_text.plain));
    body.appendChild(sectionBody(entry));
    body.querySelectorAll("[data-pdf-page]").forEach(function (span) { span.textContent = pdfPage; });
    body.querySelectorAll("[data-anchor]").forEach(function (span) { span.textContent = "#" + id; });
    openDialog(L.cite_paragraph + ": " + entry.title, body, EXTRA.concat(data.formats));
  }

  window.companionCiteDialog = {
    open: function (button, loaded) {
      if (!button.hasAttribute("data-section")) return paragraph(button, loaded);
      var section = loaded.byId[button.getAttribute("data-section")];
      openDialog(L.cite_section + ": " + section.title, sectionBody(section));
    },
    unavailable: function (button) {
      var body = document.createElement("p");
      body.className = "cite-status";
      body.textContent = L.cite_unavailable;
      openDialog(button.getAttribute("aria-label"), body, []);
    }
  };
})();

/*
 * Evidence upload component (progressive enhancement of the plain multipart form in upload.html).
 *
 * Files come from drag and drop or the file chooser. Each gets a row with its own kind, description and
 * <progress>, and is sent alone by XMLHttpRequest to the form's data-upload-url as multipart fields
 * "files", "kind", "description", with Accept: application/json and the CSRF token in X-CSRFToken.
 * The answer is {"ok": true, "name", "sha256", "size", "warning"} or {"ok": false, "name", "error"}; a warning
 * (active content a bundle will leave out) is shown under the row's hash. An answer with "duplicate"
 * ({label, url}: the matter already holds the same bytes) links the first exhibit and offers "Store it
 * anyway", which sends the file again with "store_duplicate".
 *
 * Each file's kind is guessed from its name and type by the form's data-kind-hints ({names: [[words, kind]],
 * types: [[prefix, kind]]}) and marked as a guess to check; a file with no guess is not sent until its kind is
 * chosen.
 *
 * A page may hold several components (one per test purchase); each finds its parts by class within its form.
 * Hooks for tests: #upload-dropzone, #upload-choose, #upload-list > li.upload-row[data-state=queued|
 * uploading|done|error], .upload-row__progress, .upload-row__hash, .upload-row__error, #upload-status
 * (aria-live). The form gets data-enhanced="true" once the component is running, and fires a bubbling
 * "upload:finished" event ({detail: {stored, refused}}) when the last queued file has its answer.
 */
(function () {
  "use strict";

  var PARALLEL_UPLOADS = 3;

  function formatSize(bytes) {
    var units = ["bytes", "KB", "MB", "GB"];
    var size = bytes;
    var unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit += 1;
    }
    return (unit === 0 ? size : size.toFixed(1)) + " " + units[unit];
  }

  // Every sentence comes from the template's data-text-* attributes, so it is translated with the page.
  function text(form, key, values) {
    var template = form.dataset["text" + key] || key;
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : whole;
    });
  }

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) {
      return field.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The kind a file's name or type suggests, or "" (see evidence/exhibit_kinds.py for the hints).
  function guessKind(hints, file) {
    var name = file.name.toLowerCase();
    var byName = (hints.names || []).filter(function (hint) {
      return hint[0].some(function (word) { return name.indexOf(word) !== -1; });
    })[0];
    if (byName) {
      return byName[1];
    }
    var byType = (hints.types || []).filter(function (hint) {
      return (file.type || "").indexOf(hint[0]) === 0;
    })[0];
    return byType ? byType[1] : "";
  }

  function UploadComponent(form) {
    this.form = form;
    this.url = form.dataset.uploadUrl;
    this.input = form.querySelector("input[type=file]");
    this.kindSelect = form.querySelector("select[name=kind]");
    this.description = form.querySelector("[name=description]");
    this.dropzone = form.querySelector(".upload__dropzone");
    this.chooseButton = form.querySelector(".upload__choose");
    this.plain = form.querySelector(".upload__plain");
    this.list = form.querySelector(".upload__list");
    this.template = form.querySelector(".upload__row-template");
    this.status = form.querySelector(".upload__status");
    this.submit = form.querySelector(".upload__submit");
    this.rows = [];
    this.active = 0;
    this.counter = 0;
    this.hints = JSON.parse(form.dataset.kindHints || "{}");
  }

  UploadComponent.prototype.start = function () {
    var self = this;
    this.plain.hidden = true;
    this.dropzone.hidden = false;
    this.form.dataset.enhanced = "true";
    this.updateSubmit();

    this.chooseButton.addEventListener("click", function () {
      self.input.click();
    });
    this.input.addEventListener("change", function () {
      self.addFiles(self.input.files);
      self.input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      self.dropzone.addEventListener(name, function (event) {
        event.preventDefault();
        self.dropzone.classList.add("upload__dropzone--active");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      self.dropzone.addEventListener(name, function () {
        self.dropzone.classList.remove("upload__dropzone--active");
      });
    });
    this.dropzone.addEventListener("drop", function (event) {
      event.preventDefault();
      self.dropzone.classList.remove("upload__dropzone--active");
      if (event.dataTransfer && event.dataTransfer.files) {
        self.addFiles(event.dataTransfer.files);
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.uploadQueued();
    });
  };

  UploadComponent.prototype.addFiles = function (fileList) {
    for (var i = 0; i < fileList.length; i += 1) {
      this.addRow(fileList[i]);
    }
    this.announce(text(this.form, "Ready", { count: this.queued().length }));
    this.updateSubmit();
  };

  UploadComponent.prototype.addRow = function (file) {
    var self = this;
    this.counter += 1;
    var element = this.template.content.firstElementChild.cloneNode(true);
    var id = this.form.id + "-row-" + this.counter;
    element.id = id;
    element.querySelector(".upload-row__name").textContent = file.name;
    element.querySelector(".upload-row__size").textContent = formatSize(file.size);

    var kind = element.querySelector(".upload-row__kind");
    Array.prototype.forEach.call(this.kindSelect.options, function (option) {
      kind.appendChild(option.cloneNode(true));
    });
    var guessed = guessKind(this.hints, file);
    kind.value = guessed;
    kind.id = id + "-kind";
    kind.name = id + "-kind";
    var guess = element.querySelector(".upload-row__guess");
    guess.id = id + "-guess";
    guess.textContent = text(this.form, guessed ? "Guessed" : "Choose");
    kind.setAttribute("aria-describedby", guess.id);
    kind.addEventListener("change", function () {
      guess.textContent = "";
      kind.removeAttribute("aria-invalid");
    });
    var description = element.querySelector(".upload-row__description");
    description.id = id + "-description";
    description.name = id + "-description";
    var progress = element.querySelector(".upload-row__progress");
    progress.setAttribute("aria-label", text(this.form, "Progress", { name: file.name }));

    var row = { id: id, file: file, element: element, state: "queued" };
    element.querySelector(".upload-row__remove").addEventListener("click", function () {
      if (row.state === "uploading") {
        return;
      }
      self.rows = self.rows.filter(function (other) {
        return other !== row;
      });
      element.remove();
      self.updateSubmit();
    });
    this.rows.push(row);
    this.list.appendChild(element);
  };

  UploadComponent.prototype.queued = function () {
    return this.rows.filter(function (row) {
      return row.state === "queued";
    });
  };

  UploadComponent.prototype.updateSubmit = function () {
    this.submit.disabled = this.queued().length === 0;
  };

  UploadComponent.prototype.announce = function (text) {
    this.status.textContent = text;
  };

  UploadComponent.prototype.setState = function (row, state) {
    row.state = state;
    row.element.dataset.state = state;
  };

  UploadComponent.prototype.uploadQueued = function () {
    var self = this;
    var unchosen = this.queued().filter(function (row) {
      return !row.element.querySelector(".upload-row__kind").value;
    });
    if (unchosen.length) {
      unchosen.forEach(function (row) {
        row.element.querySelector(".upload-row__kind").setAttribute("aria-invalid", "true");
      });
      unchosen[0].element.querySelector(".upload-row__kind").focus();
      this.announce(text(this.form, "ChooseFirst"));
      return;
    }
    this.queued().forEach(function (row) {
      self.setState(row, "waiting");
      row.element.querySelector(".upload-row__remove").disabled = true;
      row.element.querySelector(".upload-row__kind").disabled = true;
      row.element.querySelector(".upload-row__description").disabled = true;
    });
    this.updateSubmit();
    this.pump();
  };

  UploadComponent.prototype.pump = function () {
    var self = this;
    var waiting = this.rows.filter(function (row) {
      return row.state === "waiting";
    });
    while (this.active < PARALLEL_UPLOADS && waiting.length) {
      this.send(waiting.shift());
    }
    if (this.active === 0 && !waiting.length) {
      var done = this.rows.filter(function (row) {
        return row.state === "done";
      }).length;
      var failed = this.rows.filter(function (row) {
        return row.state === "error";
      }).length;
      if (done + failed) {
        self.announce(text(self.form, "Summary", { stored: done, refused: failed }));
        // Pages that list the stored files listen for this to refresh their lists.
        self.form.dispatchEvent(new CustomEvent("upload:finished", { bubbles: true, detail: { stored: done, refused: failed } }));
      }
    }
  };

  UploadComponent.prototype.send = function (row) {
    var self = this;
    var element = row.element;
    var progress = element.querySelector(".upload-row__progress");
    var data = new FormData();
    data.append("files", row.file, row.file.name);
    data.append("kind", element.querySelector(".upload-row__kind").value);
    data.append("description", element.querySelector(".upload-row__description").value);
    if (row.storeDuplicate) {
      data.append("store_duplicate", "on");
    }
    var belongsTo = this.form.querySelector("select[name=purchase]");
    if (belongsTo) {
      data.append("purchase", belongsTo.value);
    }

    var request = new XMLHttpRequest();
    request.open("POST", this.url);
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRFToken", csrfToken(this.form));
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        progress.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    request.addEventListener("load", function () {
      var answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch (error) {
        answer = null;
      }
      if (answer && answer.ok) {
        self.finish(row, true, answer.sha256, answer.warning);
      } else if (answer && answer.duplicate) {
        self.offerDuplicate(row, answer.duplicate);
        self.finish(row, false, answer.error);
      } else if (answer && answer.error) {
        self.finish(row, false, answer.error);
      } else if (request.status === 413) {
        self.finish(row, false, text(self.form, "TooLarge"));
      } else {
        self.finish(row, false, text(self.form, "ServerError", { status: request.status }));
      }
    });
    request.addEventListener("error", function () {
      self.finish(row, false, text(self.form, "NetworkError"));
    });

    this.active += 1;
    this.setState(row, "uploading");
    progress.hidden = false;
    this.announce(text(this.form, "Uploading", { name: row.file.name }));
    request.send(data);
  };

  UploadComponent.prototype.finish = function (row, ok, detail, warning) {
    var element = row.element;
    var progress = element.querySelector(".upload-row__progress");
    var result = element.querySelector(".upload-row__result");
    if (ok) {
      progress.value = 100;
      var hash = element.querySelector(".upload-row__hash");
      hash.textContent = detail;
      hash.title = detail;
      this.announce(text(this.form, "Stored", { name: row.file.name, sha256: detail }));
      if (warning) {
        var note = document.createElement("span");
        note.className = "upload-row__warning";
        note.textContent = warning;
        result.appendChild(note);
      }
    } else {
      progress.hidden = true;
      element.querySelector(".upload-row__error").textContent = detail;
      this.announce(text(this.form, "Refused", { name: row.file.name, error: detail }));
    }
    result.hidden = false;
    this.setState(row, ok ? "done" : "error");
    this.active -= 1;
    this.pump();
  };

  // The same bytes are already an exhibit: link it, and send the file again only if the uploader says so.
  UploadComponent.prototype.offerDuplicate = function (row, first) {
    var self = this;
    var element = row.element;
    var offer = element.querySelector(".upload-row__duplicate");
    var link = element.querySelector(".upload-row__first");
    link.href = first.url;
    link.textContent = text(this.form, "First", { label: first.label });
    offer.hidden = false;
    element.querySelector(".upload-row__anyway").addEventListener("click", function () {
      offer.hidden = true;
      element.querySelector(".upload-row__error").textContent = "";
      row.storeDuplicate = true;
      self.setState(row, "waiting");
      self.pump();
    }, { once: true });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var supported = "FormData" in window && "upload" in new XMLHttpRequest() && "content" in document.createElement("template");
    if (!supported) {
      return;
    }
    document.querySelectorAll("form[data-upload-url]").forEach(function (form) {
      // The script is included once per component on a page; each form is enhanced once.
      if (form.dataset.enhanced !== "true") {
        new UploadComponent(form).start();
      }
    });
  });
})();

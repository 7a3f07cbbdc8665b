// Browser storage for the hyperagents workbench, called from Go (app/persist.go). Every function
// returns a promise; Go awaits them from a goroutine.
window.hyperagentsStorage = (() => {
  const DB = "hyperagents", STORE = "files";
  let opened = null;

  function open() {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => { opened = null; reject(req.error); };
        req.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
      });
    }
    return opened;
  }

  // get resolves to the bytes stored under key (a Uint8Array) or null. A database saved in parts
  // (putParts) is put back together; its bytes carry parts = true.
  async function get(key) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const store = db.transaction(STORE, "readonly").objectStore(STORE);
      const req = store.get(key);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const v = req.result;
        if (!v) return resolve(null);
        if (v instanceof ArrayBuffer) return resolve(new Uint8Array(v));
        if (!Number.isInteger(v.size) || !Number.isInteger(v.parts) || v.parts < 1 || v.size < 0) {
          return reject(new Error("the saved database's list of parts is unreadable"));
        }
        const all = store.getAll(IDBKeyRange.bound([key, 0], [key, v.parts - 1]));
        all.onerror = () => reject(all.error);
        all.onsuccess = () => {
          const parts = all.result;
          if (parts.length !== v.parts) {
            return reject(new Error(`the saved database is incomplete: ${parts.length} of its ${v.parts} parts are there`));
          }
          const out = new Uint8Array(v.size);
          let off = 0;
          for (const p of parts) {
            if (!(p instanceof ArrayBuffer) || off + p.byteLength > v.size) {
              return reject(new Error("a part of the saved database is damaged"));
            }
            out.set(new Uint8Array(p), off);
            off += p.byteLength;
          }
          if (off !== v.size) return reject(new Error(`the saved database's parts hold ${off} bytes, not ${v.size}`));
          out.parts = true;
          resolve(out);
        };
      };
    });
  }

  // put stores bytes (a Uint8Array) under key; it rejects with the browser's error, e.g.
  // QuotaExceededError.
  async function put(key, bytes) {
    const db = await open();
    return new Promise((resolve, reject) => {
      // Relaxed durability: the browser may report the write done before it reaches the disk
      // (no flush), which makes saving a large database several times faster; a crash of the
      // whole browser in that instant can lose the last save, never corrupt an earlier one.
      const tx = db.transaction(STORE, "readwrite", { durability: "relaxed" });
      tx.objectStore(STORE).put(ownBuffer(bytes), key);
      tx.oncomplete = () => resolve(true);
      tx.onabort = () => reject(tx.error || new Error("the save was aborted"));
      tx.onerror = () => reject(tx.error);
    });
  }

  // partsPerTask is how many parts putParts stores in one task.
  const partsPerTask = 8;

  // newest is the highest generation a save was asked for with (see putParts).
  let newest = 0;

  // ownBuffer returns the ArrayBuffer holding exactly the bytes of a Uint8Array (its own when it
  // spans all of it, as the ones from Go do; otherwise a copy).
  function ownBuffer(b) {
    if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) {
      return b.buffer;
    }
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }

  // putParts saves a database of size bytes kept in parts of equal size (the last may be
  // shorter), writing only the parts given — changed is [index, bytes, index, bytes, ...] — and
  // the list of parts, in one transaction: the saved database is the old one or the new one,
  // never a mix. Parts past the new end are deleted. With all set, every part is stored in this
  // task: a page being left gets no later tasks. Once its last write is asked for, the
  // transaction is committed without waiting for the page to hear back: Chromium aborts the
  // transactions of a page that is gone unless they were committed.
  //
  // gen is the save's generation: the page starts a new one when it saves on being hidden or
  // left, while an earlier save may still be on its way (being copied out of Go). A save of an
  // older generation than one already asked for holds older data: it is dropped, and resolves to
  // false instead of true.
  async function putParts(key, size, count, changed, all, gen) {
    if (gen < newest) return false;
    newest = gen;
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite", { durability: "relaxed" });
      const store = tx.objectStore(STORE);
      // A few parts per task: storing a large part holds the page for about a millisecond, a
      // whole database at once for a hundred or more. The next few are handed over when the
      // first of these has been stored, so the browser always has some to write (the
      // transaction stays open in between, so the save stays all or nothing).
      let i = 0;
      const next = () => {
        let first = null;
        const end = all ? changed.length : Math.min(changed.length, i + 2 * partsPerTask);
        for (; i < end; i += 2) {
          const req = store.put(ownBuffer(changed[i + 1]), [key, changed[i]]);
          first = first || req;
        }
        if (i < changed.length) {
          first.onsuccess = next;
          return;
        }
        store.delete(IDBKeyRange.bound([key, count], [key, Infinity]));
        store.put({ size, parts: count }, key);
        if (tx.commit) tx.commit();
      };
      next();
      tx.oncomplete = () => resolve(true);
      tx.onabort = () => reject(tx.error || new Error("the save was aborted"));
      tx.onerror = () => reject(tx.error);
    });
  }

  // persist asks the browser not to evict the workbench's storage.
  async function persist() {
    if (!navigator.storage || !navigator.storage.persist) return false;
    try { return await navigator.storage.persist(); } catch (e) { return false; }
  }

  // lock resolves to true when this tab holds the workbench's write lock (kept until the tab
  // closes) and to false when another tab holds it. It waits up to two seconds: on a reload or a
  // navigation the page being left may still hold the lock for a moment.
  function lock() {
    if (!navigator.locks) return Promise.resolve(true);
    return new Promise((resolve) => {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 2000);
      navigator.locks.request("hyperagents-writer", { signal: ctl.signal }, () => {
        clearTimeout(timer);
        resolve(true);
        return new Promise(() => {});
      }).catch(() => resolve(false));
    });
  }

  // read resolves to the bytes of a File (from a picker or a drop).
  async function read(file) {
    return new Uint8Array(await file.arrayBuffer());
  }

  return { get, put, putParts, persist, lock, read };
})();

// Files dropped on #drop-zone: the drop must be accepted (preventDefault) while the event is being
// dispatched and its files read then, but go-app runs Go handlers later; so this keeps the files
// and tells Go with a "hyperagents-drop" event on the zone.
document.addEventListener("dragover", (e) => {
  if (e.target.closest && e.target.closest("#drop-zone")) e.preventDefault();
});
document.addEventListener("drop", (e) => {
  const zone = e.target.closest && e.target.closest("#drop-zone");
  if (!zone) return;
  e.preventDefault();
  window.hyperagentsDropped = Array.from(e.dataTransfer ? e.dataTransfer.files : []);
  zone.dispatchEvent(new CustomEvent("hyperagents-drop", { bubbles: true }));
});

// Leaving or reloading the page with work that is not saved yet asks first. The Go side keeps
// window.hyperagentsUnsaved up to date (app/pagemeta.go). As browsers do, only a page the person
// has interacted with asks.
window.addEventListener("beforeunload", (e) => {
  const active = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if (window.hyperagentsUnsaved && active) {
    e.preventDefault();
    e.returnValue = "";
  }
});

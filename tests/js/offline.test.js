"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { loadParts } = require("./load.js");

// navigator.serviceWorker as a test drives it: register() answers with `registration`
// (or fails), and the test fires controllerchange when the worker claims the page.
function fakeNavigator({ registration = { installing: {} }, fails = false, controller = null } = {}) {
  const listeners = [];
  const container = {
    controller,
    registered: [],
    register(url, options) {
      this.registered.push([String(url), options.scope]);
      return fails ? Promise.reject(new Error("blocked")) : Promise.resolve(registration);
    },
    addEventListener(type, listener) { if (type === "controllerchange") listeners.push(listener); },
    claim() { this.controller = {}; for (const listener of listeners.splice(0)) listener(); },
  };
  return { serviceWorker: container };
}

// setTimeout that never fires by itself: `fire()` runs what is due, as the wait running out would.
function manualTimers() {
  const due = new Map();
  let next = 1;
  return {
    setTimeout: (fn) => { due.set(next, fn); return next++; },
    clearTimeout: (id) => due.delete(id),
    fire: () => { for (const [id, fn] of [...due]) { due.delete(id); fn(); } },
    pending: () => due.size,
  };
}

function offlinePart(navigator, { fromDisk = false } = {}) {
  const timers = manualTimers();
  const loaded = loadParts(["60-offline.js"], {
    navigator,
    manifest: { offline: "sw.js" },
    base: "http://site.test/maamar/",
    fromDisk,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
  });
  return { ...loaded, timers };
}

// Whether `promise` has settled once pending callbacks have run.
async function settled(promise) {
  let done = false;
  promise.then(() => { done = true; });
  for (let i = 0; i < 5; i++) await null;
  return done;
}

test("a first visit waits until the service worker controls the page, registered with the site's scope", async () => {
  const navigator = fakeNavigator();
  const part = offlinePart(navigator);
  const controlled = part.run("controlledBySiteWorker()");
  assert.equal(await settled(controlled), false, "the boot must not start before the worker is in control");
  assert.deepEqual(navigator.serviceWorker.registered, [["http://site.test/maamar/sw.js", "http://site.test/maamar/"]]);
  navigator.serviceWorker.claim();
  assert.equal(await settled(controlled), true);
  assert.equal(part.timers.pending(), 0, "the fallback wait is cleared");
});

test("a page already controlled, a page from disk, or a browser without service workers boots at once", async () => {
  for (const [navigator, options] of [
    [fakeNavigator({ controller: {} }), {}],
    [fakeNavigator(), { fromDisk: true }],
    [{}, {}],
  ]) {
    const part = offlinePart(navigator, options);
    assert.equal(await settled(part.run("controlledBySiteWorker()")), true);
    if (navigator.serviceWorker) assert.deepEqual(navigator.serviceWorker.registered, []);
  }
});

test("a registration that fails, or a worker that is active but will not claim this page, does not hold the boot", async () => {
  const blocked = offlinePart(fakeNavigator({ fails: true }));
  assert.equal(await settled(blocked.run("controlledBySiteWorker()")), true);
  // A reload that bypassed the service worker: it is active, nothing is installing, no claim will come.
  const bypassed = offlinePart(fakeNavigator({ registration: { active: {}, installing: null, waiting: null } }));
  assert.equal(await settled(bypassed.run("controlledBySiteWorker()")), true);
});

test("a service worker that never takes control holds the boot no longer than the wait", async () => {
  const part = offlinePart(fakeNavigator());
  const controlled = part.run("controlledBySiteWorker()");
  assert.equal(await settled(controlled), false);
  part.timers.fire();
  assert.equal(await settled(controlled), true);
});

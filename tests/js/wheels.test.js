"use strict";
// The worker unpacks the wheels itself (worker.js, wheelFiles): these archives are
// written here, entry by entry, as zip tools write them.
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const zlib = require("node:zlib");

const WORKER = path.join(__dirname, "..", "..", "src", "maamar", "theme", "static", "js", "worker.js");

function loadWorker() {
  const self = { addEventListener() {}, postMessage() {} };
  const context = vm.createContext({
    self, console, performance, setTimeout, Promise, Error, TypeError, Map, Set, Object, Array, JSON, String,
    Uint8Array, DataView, TextDecoder, DecompressionStream, Response, Blob, URL,
  });
  vm.runInContext(fs.readFileSync(WORKER, "utf8"), context, { filename: "worker.js" });
  return (code) => vm.runInContext(code, context);
}

/* A zip of [name, text or bytes, {stored}] entries; `patch(bytes)` may damage it. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content, { stored = false, method = null } = {}] of entries) {
    const raw = Buffer.from(content);
    const packed = stored ? raw : zlib.deflateRawSync(raw);
    const nameBytes = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);                      // names in UTF-8
    local.writeUInt16LE(method ?? (stored ? 0 : 8), 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method ?? (stored ? 0 : 8), 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const whole = Buffer.concat([...locals, directory, end]);
  return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength);
}

async function unpack(archive, name = "demo-1.0-py3-none-any.whl") {
  const run = loadWorker();
  const files = await run("wheelFiles")(archive, name);
  return Object.fromEntries(files.map(([file, bytes]) => [file, Buffer.from(bytes).toString("utf8")]));
}

test("a wheel's files come out whole, deflated or stored, with their folders and UTF-8 names", async () => {
  const long = "import numpy as np\n".repeat(5000);   // inflates in more than one chunk
  const files = await unpack(zip([
    ["demo/", ""],
    ["demo/__init__.py", "VERSION = '1.0'\n"],
    ["demo/data/מילים.txt", "שלום עולם\n", { stored: true }],
    ["demo/empty.py", ""],
    ["demo/big.py", long],
    ["demo-1.0.dist-info/METADATA", "Name: demo\n"],
  ]));
  assert.deepEqual(Object.keys(files).sort(), [
    "demo-1.0.dist-info/METADATA", "demo/__init__.py", "demo/big.py", "demo/data/מילים.txt", "demo/empty.py",
  ]);
  assert.equal(files["demo/big.py"], long);
  assert.equal(files["demo/data/מילים.txt"], "שלום עולם\n");
  assert.equal(files["demo/empty.py"], "");
});

test("a name that would leave site-packages stops the unpacking and names the wheel", async () => {
  for (const name of ["../evil.py", "/etc/evil.py", "demo/../../evil.py", "demo//evil.py"]) {
    await assert.rejects(unpack(zip([[name, "x"]])), (err) => err.message.startsWith("demo-1.0-py3-none-any.whl: unsafe path"), name);
  }
});

test("what the worker can't install is refused with the reason, not written half", async () => {
  await assert.rejects(unpack(zip([["demo-1.0.data/scripts/run", "x"]])), /demo-1.0.data\/ is not supported/);
  await assert.rejects(unpack(zip([["demo/a.py", "x", { method: 12 }]])), /demo\/a.py uses zip method 12/);
  await assert.rejects(unpack(new TextEncoder().encode("not a zip at all, just text").buffer), /not a zip archive/);
  const truncated = zip([["demo/a.py", "print('hello')\n".repeat(50)]]);
  const damaged = new Uint8Array(truncated.slice(0));
  damaged.fill(0, 30 + "demo/a.py".length + 4, 30 + "demo/a.py".length + 12);   // inside the deflated data
  await assert.rejects(unpack(damaged.buffer));
});

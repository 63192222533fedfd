{% autoescape off %}// The site's service worker (courses/offline.py, served at /sw.js): it keeps the
// lessons of the learner's enrolled courses for reading offline, and queues the
// lessons marked done offline until the phone is online again.
//
// - Every page says whose session it is (data-offline-owner, site.js passes it
//   on). What is kept lives in a cache of that session alone; seeing another
//   session, or a logout, drops it, so nobody is served another's page.
// - Online, every request goes to the network as if there were no worker; a
//   request that fails is answered from what is kept, a page not kept by the
//   page on what works offline, a quiz by the page saying it needs a connection.
// - A lesson marked done offline waits in a queue of this worker, which sends
//   it again (with a fresh CSRF token) when a page says it is online, on the
//   browser's Background Sync where there is one, and at the next page load.
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = `lms-static-${VERSION}`;
const LESSONS_PREFIX = "lms-lessons-";
// The worker's own state and its queue, in a cache of their own.
const STATE_CACHE = "lms-offline";
const ASSETS = {{ assets }};
const [OFFLINE_PAGE, OFFLINE_QUIZ_PAGE] = {{ offline_pages }};
const LIST_URL = {{ list_url }};
const LOGOUT_URL = {{ logout_url }};
const DEFAULT_TEXT = {{ text }};
// Look for new lessons at a page load at least this often.
const SYNC_EVERY = 6 * 60 * 60 * 1000;
// Marks nobody could send for so long are dropped.
const KEEP_MARKS = 30 * 24 * 60 * 60 * 1000;
const NEVER = ["/admin/", "/django-admin/", LIST_URL];

const absolute = (url) => new URL(url, self.location.href).href;

// State and queue: JSON kept under addresses of the worker's own cache, changed
// one at a time.
let lock = Promise.resolve();
function locked(change) {
  const run = lock.then(change);
  lock = run.catch(() => {});
  return run;
}
async function load(name, fallback) {
  const found = await (await caches.open(STATE_CACHE)).match(`/__offline__/${name}`);
  return found ? found.json() : fallback;
}
async function save(name, value) {
  const cache = await caches.open(STATE_CACHE);
  await cache.put(`/__offline__/${name}`, new Response(JSON.stringify(value)));
}
const text = (state, name) => (state.text || {})[name] || DEFAULT_TEXT[name] || "";

async function dropLessons(keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(LESSONS_PREFIX) && name !== keep) await caches.delete(name);
  }
}

// The session a page belongs to: a new one drops what the last one kept.
function setOwner(owner) {
  return locked(async () => {
    const state = await load("state", {});
    if (state.owner === owner) return state;
    await dropLessons(owner ? LESSONS_PREFIX + owner : null);
    const fresh = { owner, text: state.text, width: state.width };
    await save("state", fresh);
    return fresh;
  });
}

function updateState(owner, change) {
  return locked(async () => {
    const state = await load("state", {});
    if (state.owner !== owner) return;
    change(state);
    await save("state", state);
  });
}

async function fetchList() {
  const response = await fetch(LIST_URL, { cache: "no-store", credentials: "same-origin" });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || !type.includes("json")) return null;
  return response.json();
}

// Run the items a few at a time, each failure its own.
async function each(items, work) {
  const queue = [...items];
  const worker = async () => {
    while (queue.length) {
      try {
        await work(queue.shift());
      } catch (error) {
        // Offline again, or one address failing: the next update tries again.
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

// Of a picture's files, the one this phone's browser would show: WebP, the
// smallest at least as wide as the screen's pixels.
function pick(group, width) {
  const webp = group.filter((c) => c.type === "image/webp");
  const candidates = (webp.length ? webp : group)
    .slice()
    .sort((a, b) => (a.w || Infinity) - (b.w || Infinity));
  return candidates.find((c) => !c.w || c.w >= width) || candidates[candidates.length - 1];
}

// A page is kept only when it is of the session it is kept for.
async function ownPage(response, owner) {
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || !type.includes("text/html")) return null;
  const body = await response.text();
  const found = body.match(/data-offline-owner="([^"]*)"/);
  if (!found || found[1] !== owner) return null;
  return new Response(body, { status: 200, headers: response.headers });
}

let syncing = null;
function sync() {
  if (!syncing) syncing = doSync().finally(() => { syncing = null; });
  return syncing;
}

async function doSync() {
  const list = await fetchList();
  if (!list) return;
  let state = await setOwner(list.owner);
  if (!list.owner) return;
  const cache = await caches.open(LESSONS_PREFIX + list.owner);
  const known = state.version === VERSION ? state.pages || {} : {};
  const pages = {};
  const keep = new Set();
  await each(list.pages, async ({ url, v }) => {
    const href = absolute(url);
    keep.add(href);
    if (v !== null && known[href] === v && (await cache.match(href))) {
      pages[href] = v;
      return;
    }
    const response = await fetch(href, {
      credentials: "same-origin",
      headers: { Purpose: "prefetch" },
    });
    const page = await ownPage(response, list.owner);
    if (page) {
      await cache.put(href, page);
      pages[href] = v;
    }
  });
  const width = state.width || 720;
  const alias = {};
  await each(list.images, async (group) => {
    const chosen = absolute(pick(group, width).src);
    keep.add(chosen);
    for (const candidate of group) alias[absolute(candidate.src)] = chosen;
    if (await cache.match(chosen)) return;
    const sameOrigin = new URL(chosen).origin === self.location.origin;
    const response = await fetch(chosen, sameOrigin ? {} : { mode: "no-cors" });
    if (response.ok || response.type === "opaque") await cache.put(chosen, response);
  });
  const statics = await caches.open(STATIC_CACHE);
  await each(list.assets, async (url) => {
    if (await statics.match(url)) return;
    const response = await fetch(url);
    if (response.ok) await statics.put(url, response);
  });
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
  const lessons = list.pages.filter((p) => p.v !== null);
  const complete = lessons.every((p) => absolute(p.url) in pages);
  await updateState(list.owner, (s) => {
    Object.assign(s, {
      learner: list.learner,
      pages,
      alias,
      onlineOnly: list.online_only.map(absolute),
      text: list.text,
      version: VERSION,
      synced: Date.now(),
      // What the pages say of the lessons kept: only when every one was.
      saved: complete ? list.text.saved : "",
    });
  });
  if (complete) tell({ type: "saved", text: list.text.saved });
}

// Tell every page of the site, also one the worker does not control yet: a
// page loaded while the worker was installing is claimed only a moment later.
async function tell(message) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of pages) client.postMessage(message);
}

// Lessons marked done offline.
let replaying = null;
function replay() {
  if (!replaying) replaying = doReplay().finally(() => { replaying = null; });
  return replaying;
}

async function doReplay() {
  const queue = await load("queue", []);
  if (!queue.length) return;
  const list = await fetchList();
  if (!list || !list.owner) return;
  const mine = queue.filter((mark) =>
    mark.learner ? mark.learner === list.learner : mark.owner === list.owner);
  const sent = [];
  try {
    for (const mark of mine) {
      const response = await fetch(mark.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": list.csrf,
          "HX-Request": "true",
        },
        body: `done=${mark.done ? 1 : 0}`,
      });
      // A lesson taken down meanwhile has nothing to record. A refused token,
      // a login asked for (a redirect) or a server error: try again later.
      if (response.ok || response.status === 404) sent.push(mark);
      else break;
    }
  } catch (error) {
    // Offline again: the rest waits.
  }
  await locked(async () => {
    const now = Date.now();
    const left = (await load("queue", [])).filter((mark) =>
      !sent.some((s) => s.url === mark.url && s.at === mark.at) && now - mark.at < KEEP_MARKS);
    await save("queue", left);
  });
  if (sent.length) tell({ type: "sent", text: list.text.sent });
  if (sent.length < mine.length) throw new Error("Some marks are still waiting.");
}

async function queueMark(request, body) {
  const state = await load("state", {});
  if (!state.owner) return null;
  const mark = {
    url: request.url,
    done: new URLSearchParams(body).get("done") !== "0",
    owner: state.owner,
    learner: state.learner || "",
    at: Date.now(),
  };
  await locked(async () => {
    // The last press on a lesson is what it is.
    const queue = (await load("queue", [])).filter(
      (m) => !(m.url === mark.url && m.owner === mark.owner));
    queue.push(mark);
    await save("queue", queue);
  });
  if (self.registration.sync) {
    self.registration.sync.register("lessons-done").catch(() => {});
  }
  return state;
}

function escape(value) {
  return value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function complete(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (error) {
    const state = await queueMark(request, body);
    if (!state) throw error;
    if (!request.headers.get("HX-Request")) return new Response(null, { status: 204 });
    // htmx puts this note in place of the button; the rest of the panel stays.
    const note = `<p class="lesson-progress__status">✓ ${escape(text(state, "queued"))}</p>`;
    return new Response(note, {
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "HX-Retarget": "#lesson-progress form",
        "HX-Reswap": "outerHTML",
      },
    });
  }
}

async function logOut(request) {
  try {
    await replay();
  } catch (error) {
    // Sent at the next login.
  }
  await locked(async () => {
    const state = await load("state", {});
    await dropLessons(null);
    await save("state", { text: state.text, width: state.width });
  });
  try {
    return await fetch(request);
  } catch (error) {
    return offlinePage(new URL(request.url), {});
  }
}

async function lookUp(href, state) {
  const names = [STATIC_CACHE];
  if (state.owner) names.unshift(LESSONS_PREFIX + state.owner);
  const alias = (state.alias || {})[href];
  for (const name of names) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    const found = (await cache.match(href, { ignoreVary: true }))
      || (alias && (await cache.match(alias, { ignoreVary: true })));
    if (found) return found;
  }
  return null;
}

async function offlinePage(url, state) {
  const quiz = (state.onlineOnly || []).some((prefix) => url.href.startsWith(prefix));
  return (await lookUp(absolute(quiz ? OFFLINE_QUIZ_PAGE : OFFLINE_PAGE), state))
    || Response.error();
}

// Keep the fresh copy of a page read online, when it is one that is kept.
async function refresh(href, response) {
  const state = await load("state", {});
  if (!state.owner || !(href in (state.pages || {}))) return;
  const page = await ownPage(response, state.owner);
  if (page) await (await caches.open(LESSONS_PREFIX + state.owner)).put(href, page);
}

async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (request.mode === "navigate" && response.ok) {
      event.waitUntil(refresh(request.url, response.clone()));
    }
    return response;
  } catch (error) {
    const state = await load("state", {});
    const found = await lookUp(request.url, state);
    if (found) return found;
    if (request.mode === "navigate") return offlinePage(new URL(request.url), state);
    throw error;
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC_CACHE);
    await Promise.all(ASSETS.map(async (url) => {
      const response = await fetch(url, { credentials: "omit" });
      if (response.ok) await cache.put(url, response);
    }));
    await Promise.all([OFFLINE_PAGE, OFFLINE_QUIZ_PAGE].map(async (url) => {
      // The pages as a visitor sees them, nobody's own, and naming no session:
      // shown offline to a learner, they must not read as a logout.
      const response = await fetch(url, { credentials: "omit" });
      if (!response.ok) return;
      const body = (await response.text()).replace(/ data-offline-owner="[^"]*"/g, "");
      await cache.put(url, new Response(body, { headers: response.headers }));
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("lms-static-") && name !== STATIC_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "page") return;
  event.waitUntil((async () => {
    const state = await setOwner(data.owner || "");
    if (!state.owner) return;
    if (data.width && data.width !== state.width) {
      await updateState(state.owner, (s) => { s.width = data.width; });
    }
    await replay().catch(() => {});
    const stale = !state.synced || state.version !== VERSION
      || Date.now() - state.synced > SYNC_EVERY;
    if (data.sync || stale) await sync().catch(() => {});
    // The page that asked hears what is kept, whether or not it was just
    // updated, and whether or not the worker controls it yet.
    const now = await load("state", {});
    if (now.owner === state.owner && now.saved && event.source) {
      event.source.postMessage({ type: "saved", text: now.saved });
    }
  })());
});

self.addEventListener("sync", (event) => {
  if (event.tag === "lessons-done") event.waitUntil(replay());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  const own = url.origin === self.location.origin;
  if (own && NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.method === "POST" && own) {
    if (url.pathname === LOGOUT_URL) event.respondWith(logOut(request));
    else if (url.pathname.endsWith("/complete/")) event.respondWith(complete(request));
    else if (request.mode === "navigate") {
      // A quiz's answers sent offline: say why nothing happened.
      event.respondWith(fetch(request).catch(async () =>
        offlinePage(url, await load("state", {}))));
    }
    return;
  }
  if (request.method === "GET") event.respondWith(networkFirst(event));
});
{% endautoescape %}
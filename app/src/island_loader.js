// Starts the islands of a server-rendered page. Called with the content-named
// JS and WebAssembly files of this build.
((script, webAssembly) => {
	// Offline copies of the agenda and the units one opens: on every page,
	// whether it has islands or not.
	if ("serviceWorker" in navigator) {
		navigator.serviceWorker.register("/sw.js").catch(() => {});
	}
	// A page without islands is whole as the server sent it: no code to fetch.
	if (!document.querySelector("leptos-island")) {
		return;
	}

	// Children rendered by the server inside an island, whose own islands
	// wait for their parent's to claim them first.
	const childrenReady = [];

	// Lets the browser handle input and paint between one island's start and
	// the next, so starting a page's islands is several short tasks, not one
	// long one a slow phone cannot answer a tap during. Not a timer: those are
	// throttled in tabs in the background, which must still start at once.
	function nextTask() {
		if (globalThis.scheduler?.yield) {
			return scheduler.yield();
		}
		return new Promise((resolve) => {
			const channel = new MessageChannel();
			channel.port1.onmessage = () => resolve();
			channel.port2.postMessage(null);
		});
	}

	async function start(element, module) {
		const island = module[element.dataset.component];
		if (!island) {
			console.warn(`No WebAssembly for the island ${element.dataset.component}.`);
			return;
		}
		await nextTask();
		const claimChildren = childrenReady[childrenReady.length - 1];
		if (claimChildren) {
			claimChildren();
		}
		await island(element);
	}

	// Depth first in document order: a parent island starts before those inside it.
	async function walk(element, module) {
		const tag = element.tagName.toLowerCase();
		if (tag === "leptos-island") {
			await start(element, module);
		}
		const isChildren = tag === "leptos-children";
		if (isChildren) {
			childrenReady.push(element.$$on_hydrate);
		}
		for (const child of element.children) {
			await walk(child, module);
		}
		if (isChildren) {
			childrenReady.pop();
		}
	}

	async function load() {
		const module = await import(script);
		await module.default({ module_or_path: webAssembly });
		await nextTask();
		module.hydrate();
		await walk(document.body, module);
	}

	// Only once the page is on screen: on a slow line its text and styles come
	// first, and the code that makes parts of it interactive after them. A tab
	// in the background paints nothing, so it need not wait (it would wait
	// until shown, missing live posts meanwhile).
	function afterFirstPaint() {
		if (document.visibilityState === "hidden") {
			load();
		} else {
			requestAnimationFrame(() => setTimeout(load, 0));
		}
	}
	if (document.readyState === "complete") {
		afterFirstPaint();
	} else {
		addEventListener("load", afterFirstPaint, { once: true });
	}
})

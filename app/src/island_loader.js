// Starts the behaviours and islands of a server-rendered page. Called with the
// content-named JS and WebAssembly files of this build: the Leptos islands'
// module (pages with an editor) and the small behaviours' module (live posts,
// suggestions, the browser's zone: the reading pages).
((islandsScript, islandsWebAssembly, behavioursScript, behavioursWebAssembly) => {
	// Offline copies of the agenda and the units one opens: on every page,
	// whether it has anything to start or not.
	if ("serviceWorker" in navigator) {
		navigator.serviceWorker.register("/sw.js").catch(() => {});
	}
	const hasBehaviours = document.querySelector("[data-behaviour]") !== null;
	const hasIslands = document.querySelector("leptos-island") !== null;
	// A page with neither is whole as the server sent it: no code to fetch.
	if (!hasBehaviours && !hasIslands) {
		return;
	}

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

	// In document order, so a parent island starts before those inside it:
	// an island within another's server-rendered children (`leptos-children`)
	// first lets that parent claim them.
	async function startIslands(module) {
		for (const element of document.querySelectorAll("leptos-island")) {
			const island = module[element.dataset.component];
			if (!island) {
				console.warn(`No WebAssembly for the island ${element.dataset.component}.`);
				continue;
			}
			await nextTask();
			element.parentElement?.closest("leptos-children")?.$$on_hydrate?.();
			await island(element);
		}
	}

	async function loadIslands() {
		const module = await import(islandsScript);
		await module.default({ module_or_path: islandsWebAssembly });
		await nextTask();
		module.hydrate();
		await startIslands(module);
	}

	// The behaviours' module starts each behaviour in a task of its own.
	async function loadBehaviours() {
		const module = await import(behavioursScript);
		await module.default({ module_or_path: behavioursWebAssembly });
		await nextTask();
		module.start();
	}

	// The page stays as the server sent it, which works: say why in the console.
	function load() {
		if (hasBehaviours) {
			loadBehaviours().catch((error) => console.warn("The page's behaviours did not start:", error));
		}
		if (hasIslands) {
			loadIslands().catch((error) => console.warn("The page's islands did not start:", error));
		}
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

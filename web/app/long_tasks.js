// Records main-thread tasks longer than 50 ms (the browser's "long task"), so
// that a janky page can be diagnosed from the console: tanukiLongTasks lists
// {start, duration} in milliseconds since the page loaded. Training runs in a
// worker, so this list should stay empty while it trains.
const tasks = [];
globalThis.tanukiLongTasks = tasks;

if (typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: Math.round(entry.startTime), duration: Math.round(entry.duration) });
  }).observe({ type: 'longtask', buffered: true });
}

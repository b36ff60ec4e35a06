const boot = document.getElementById('sv-boot').dataset;
const { default: init } = await import(boot.js);
await init({ module_or_path: boot.wasm });

// The floor of bench/run.mjs (2, 3): an empty module, whose import costs what any import does.
export {};

// The floor of (b) in bench/run.mjs: an empty module, whose import costs what any import does.
export {};

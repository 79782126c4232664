/**
 * cli/: the `aarm` and `aarmc` commands. The bin scripts call `main`; tests and embedders can run a program
 * in-process with `guarded(program, argv, io)` and a `memoryIo`.
 */
export { aarmProgram, aarmcProgram, guarded, main, packageVersion } from "./main.js";
export { runProgram, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command, type Program } from "./command.js";
export { memoryIo, type Io } from "./io.js";

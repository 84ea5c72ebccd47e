/**
 * The tslab kernel as the project installs it (.jupyter/…/kernels/tslab):
 * tslab's own entry point, after two fixes to the zeromq module it is about
 * to load, so that heavy output neither kills the kernel nor loses lines.
 *
 * - unboundedPublishers: the iopub socket queues instead of dropping past
 *   zeromq's high-water mark (must happen before tslab binds its sockets).
 * - serialiseKernelSends: sends that meet EBUSY wait their turn instead of
 *   throwing in tslab's unawaited send.
 *
 * Both live in lib/runtime/zmq-sends.ts; tslab's arguments pass through
 * (`kernel --config-path {connection_file}`). The file name keeps "tslab" in
 * argv, which lib/runtime/kernel.ts uses to know it runs inside a kernel.
 */
import { serialiseKernelSends, unboundedPublishers } from "../lib/runtime/zmq-sends";

unboundedPublishers(require("zeromq") as { Publisher?: unknown });
serialiseKernelSends();
(require("tslab/dist/main.js") as { main(): void }).main();

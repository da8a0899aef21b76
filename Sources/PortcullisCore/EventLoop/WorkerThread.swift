import Glibc

/// A pthread running one event base until told to exit. Control signals are blocked on it so they
/// reach the main thread's control base.
public final class WorkerThread: @unchecked Sendable {  // `thread` is written once by start() and read by join() on the same (main) thread
    public let base: EventBase
    public let index: Int
    private var thread: pthread_t?

    /// Creates the worker's base; call `start()` once listeners are attached.
    public init(index: Int) {
        self.index = index
        self.base = EventBase()
    }

    /// Starts the thread.
    public func start() {
        var thread = pthread_t()
        let arg = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { arg in
            let worker = Unmanaged<WorkerThread>.fromOpaque(arg!).takeRetainedValue()
            worker.run()
            return nil
        }, arg)
        precondition(status == 0, "pthread_create failed: \(status)")
        self.thread = thread
    }

    /// Waits for the thread to finish.
    public func join() {
        guard let thread = self.thread else { return }
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func run() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        self.base.dispatch()
    }
}

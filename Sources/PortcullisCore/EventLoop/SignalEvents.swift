internal import CLibevent
import Glibc

/// Signal handlers on the control base (only one base may own signal events).
public final class SignalEvents {
    private var events: [OpaquePointer] = []
    private var handlers: [Int32: () -> Void] = [:]

    /// Ignores SIGPIPE for the whole process: OpenSSL and libevent write without MSG_NOSIGNAL.
    public static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }

    public init() {}

    deinit { self.removeAll() }

    /// Calls `handler` on the base's thread whenever `signal` arrives.
    public func on(_ signal: Int32, base: EventBase, handler: @escaping () -> Void) {
        self.handlers[signal] = handler
        let arg = Unmanaged.passUnretained(self).toOpaque()
        guard let event = event_new(base.raw, signal, Int16(EV_SIGNAL | EV_PERSIST), onSignal, arg) else { return }
        event_add(event, nil)
        self.events.append(event)
    }

    /// Removes every signal event.
    public func removeAll() {
        for event in self.events { event_free(event) }
        self.events.removeAll()
    }

    fileprivate func fire(_ signal: Int32) { self.handlers[signal]?() }
}

private let onSignal: event_callback_fn = { fd, _, arg in
    Unmanaged<SignalEvents>.fromOpaque(arg!).takeUnretainedValue().fire(fd)
}

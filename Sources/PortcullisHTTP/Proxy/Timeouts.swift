internal import CLibevent
import Glibc

/// `bufferevent_set_timeouts` with seconds; 0 disables a timeout.
enum BufferEventTimeouts {
    static func set(_ bev: OpaquePointer, read: Double, write: Double) {
        var readTV = timeval(seconds: read)
        var writeTV = timeval(seconds: write)
        withUnsafePointer(to: &readTV) { readPointer in
            withUnsafePointer(to: &writeTV) { writePointer in
                _ = bufferevent_set_timeouts(bev, read > 0 ? readPointer : nil, write > 0 ? writePointer : nil)
            }
        }
    }
}

extension timeval {
    init(seconds: Double) {
        let whole = Int(seconds)
        self.init(tv_sec: whole, tv_usec: Int((seconds - Double(whole)) * 1_000_000))
    }
}

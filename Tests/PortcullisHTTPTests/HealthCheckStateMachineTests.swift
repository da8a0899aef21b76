import PortcullisHTTP
import Testing

/// Rise/fall counting of active health checks (pure logic).
@Suite struct HealthCheckStateMachineTests {
    @Test func fallFailuresInARowMarkDownAndRisePassesMarkUp() {
        var machine = HealthCheckStateMachine(rise: 2, fall: 3)
        #expect(machine.onResult(passed: false) == .none)
        #expect(machine.onResult(passed: true) == .none, "a pass resets the failure streak")
        #expect(machine.onResult(passed: false) == .none)
        #expect(machine.onResult(passed: false) == .none)
        #expect(machine.onResult(passed: false) == .markDown)
        #expect(machine.state == .down)
        #expect(machine.onResult(passed: true) == .none)
        #expect(machine.onResult(passed: false) == .none, "a failure resets the pass streak")
        #expect(machine.onResult(passed: true) == .none)
        #expect(machine.onResult(passed: true) == .markUp)
        #expect(machine.state == .up)
    }
}

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a JVMTI agent library into a running JVM: {@code java Attach.java PID LIBRARY OPTIONS}. Used to start and stop
 * async-profiler in the middlebox for one measured window (jcmd's JVMTI.agent_load splits options at '=').
 */
public final class Attach {

    private Attach() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java Attach.java PID LIBRARY OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}

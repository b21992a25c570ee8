package io.ncp.middlebox.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT as a request to stop: the handler runs {@code stop} (which should only wake the main thread), so
 * the appliance closes, prints its final summary and exits 0, instead of the JVM's default of running shutdown hooks
 * and exiting 143/130. Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK 17) through reflection;
 * where it cannot be installed the shutdown hook still closes the appliance.
 */
public final class StopSignals {

    private StopSignals() {
    }

    /**
     * Installs the handlers.
     *
     * @return false when the signals could not be taken over (then the JVM's default applies)
     */
    public static boolean onStop(Runnable stop) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "StopSignals handler";
                        };
                    }
                    stop.run();
                    return null;
                });
            for (String name : new String[] {"TERM", "INT"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handlerType).invoke(null, sig, handler);
            }
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | InstantiationException
                | InvocationTargetException e) { // no such API, or a signal in use (e.g. -Xrs)
            return false;
        }
    }
}

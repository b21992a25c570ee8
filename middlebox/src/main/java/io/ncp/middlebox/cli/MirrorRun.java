package io.ncp.middlebox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.app.StopSignals;
import io.ncp.middlebox.config.MirrorSetup;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.mirror.MirrorFrontend;
import io.ncp.middlebox.mirror.PacketInput;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.view.StatsView;
import io.ncp.replay.capture.CaptureFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a mirror setup: opens the capture (bad input fails before anything starts), the appliance, the front-end. */
final class MirrorRun {

    private MirrorRun() {
    }

    /**
     * Runs until interrupted (live) or until a file was processed and the replicas settled.
     *
     * @return the exit code: 0, 1 (capture failed, replicas did not settle in time), 2 (corrupt capture file)
     */
    static int run(MirrorSetup setup, PrintStream out, PrintStream err) throws InterruptedException {
        PacketInput input = MirrorFrontend.openInput(setup.mirror(), setup.middlebox().services());
        Appliance app;
        try {
            app = Appliance.start(setup.middlebox(), err);
        } catch (RuntimeException e) {
            closeQuietly(input);
            throw e;
        }
        MirrorFrontend front = MirrorFrontend.start(app.middlebox(), setup.mirror(), input);
        err.println("ncp-middlebox: mirroring " + input.description());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            front.close();
            app.close();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ncp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!input.finite()) {
                StopSignals.onStop(stop::countDown); // SIGTERM/SIGINT: close, print the summary, exit 0
                while (!stop.await(1, TimeUnit.SECONDS)) {
                    IOException failed = front.failure();
                    if (failed != null) { // the live capture failed: nothing more will come
                        err.println("ncp-middlebox: capture failed: " + failed.getMessage());
                        return 1;
                    }
                }
                front.close();
                app.close();
                err.print(app.summary());
                err.flush();
                return 0;
            }
            return finishFile(setup, app.middlebox(), front, out, err);
        } finally {
            front.close();
            app.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private static int finishFile(MirrorSetup setup, Middlebox mb, MirrorFrontend front, PrintStream out,
            PrintStream err) throws InterruptedException {
        front.awaitInputEnd(java.time.Duration.ofDays(365));
        IOException failure = front.failure();
        boolean settled = awaitSettled(mb, setup.mirror().drainTimeout().toMillis());
        try {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(StatsView.json(mb)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (failure instanceof CaptureFormatException) {
            err.println("ncp-middlebox: " + failure.getMessage());
            return Main.EXIT_USAGE;
        }
        if (failure != null) {
            err.println("ncp-middlebox: capture failed: " + failure.getMessage());
            return 1;
        }
        if (!settled) {
            err.println("ncp-middlebox: replicas had not finished after " + setup.mirror().drainTimeout()
                + " (see the stats above)");
            return 1;
        }
        return 0;
    }

    private static boolean awaitSettled(Middlebox mb, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            boolean all = true;
            for (ServiceRuntime s : mb.services()) {
                all &= s.settled();
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    private static void closeQuietly(PacketInput input) {
        try {
            input.close();
        } catch (IOException e) {
            // nothing started yet; the error being reported matters more
        }
    }
}

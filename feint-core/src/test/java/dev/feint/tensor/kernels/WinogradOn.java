package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns the Winograd path on for each test, even in the build's runs with -Dfeint.winograd=false,
 * and restores it and the thread count after: the Winograd tests' shared fixture.
 */
final class WinogradOn implements BeforeEachCallback, AfterEachCallback {
    private int savedThreads;
    private boolean savedWinograd;

    @Override
    public void beforeEach(ExtensionContext context) {
        savedThreads = Parallel.threads();
        savedWinograd = WinogradConv.enabled();
        WinogradConv.setEnabled(true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Parallel.setThreads(savedThreads);
        WinogradConv.setEnabled(savedWinograd);
    }
}

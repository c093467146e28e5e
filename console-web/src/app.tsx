/** The console's routes: the setup wizard and login outside the console frame, everything else behind the guard. */
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { HomePage } from "./home/home-page";
import { ConsoleShell } from "./layout/console-shell";
import { LoginPage } from "./login/login-page";
import { RequireConsoleAccess } from "./session/require-console-access";
import { SessionProvider } from "./session/session-context";
import { SetupPage } from "./setup/setup-page";

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/setup" element={<SetupPage />} />
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireConsoleAccess>
                <ConsoleShell />
              </RequireConsoleAccess>
            }
          >
            <Route index element={<HomePage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}

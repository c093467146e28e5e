/**
 * The console's routes: the setup wizard and login outside the shell; every page of shell/nav-items.ts inside it,
 * behind the session guard. Providers: TanStack Query (data), the session (token, API client), the router.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { createQueryClient } from "./api/query-client";
import { LoginPage } from "./login/login-page";
import { RequireConsoleAccess } from "./session/require-console-access";
import { SessionProvider } from "./session/session-context";
import { SetupPage } from "./setup/setup-page";
import { AppShell } from "./shell/app-shell";
import { NAV_ITEMS } from "./shell/nav-items";
import { PageRoute } from "./shell/page-route";

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/setup" element={<SetupPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireConsoleAccess>
                  <AppShell />
                </RequireConsoleAccess>
              }
            >
              {NAV_ITEMS.map((item) =>
                item.path === "/" ? (
                  <Route key={item.path} index element={<PageRoute item={item} />} />
                ) : (
                  <Route key={item.path} path={`${item.path.slice(1)}/*`} element={<PageRoute item={item} />} />
                ),
              )}
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

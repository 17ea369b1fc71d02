import { Link, Outlet } from "react-router";

export function AppLayout() {
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="app-title">
          ml-workflow
        </Link>
        <span className="app-tagline">
          Feature-engineering pipelines over tabular data
        </span>
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  );
}

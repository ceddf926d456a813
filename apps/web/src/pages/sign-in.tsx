import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { toast } from "../lib/toast";
import { AuthCard, PasswordInput, safeNext } from "../components/auth-card";
import { Alert } from "../components/ui/alert";
import { Button } from "../components/ui/button";
import { Field, hintId } from "../components/ui/field";
import { Input } from "../components/ui/input";
import { authClient, describeAuthError, type AuthProblem } from "../lib/auth";
import { formText } from "../lib/utils";
import { useViewer } from "../lib/viewer";

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const [problem, setProblem] = useState<AuthProblem | null>(null);
  // Fields left empty: said next to each before anything is sent.
  const [missing, setMissing] = useState<Partial<Record<"email" | "password", string>>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const login = formText(form, "login").trim();
    const password = formText(form, "password");
    const empty = {
      ...(login ? {} : { email: "Enter your email or username" }),
      ...(password ? {} : { password: "Enter your password" }),
    };
    setMissing(empty);
    setProblem(null);
    if (empty.email || empty.password) {
      event.currentTarget.querySelector<HTMLInputElement>(empty.email ? "#login" : "#password")?.focus();
      return;
    }
    setPending(true);
    // "Email or username": Better Auth signs in with either.
    const { error } = login.includes("@")
      ? await authClient.signIn.email({ email: login, password })
      : await authClient.signIn.username({ username: login, password });
    setPending(false);
    if (error) {
      const found = describeAuthError(error, ["username", "email", "password"]);
      setProblem({ ...found, field: found.field === "password" ? "password" : found.field ? "email" : null });
      return;
    }
    queryClient.clear();
    toast.success("Welcome back!");
    void navigate(next, { replace: true });
  }

  const fieldError = (field: "email" | "password") => missing[field] ?? (problem?.field === field ? problem.message : undefined);

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Sign in to follow channels, chat and go live."
      footer={
        <>
          New to OnAir?{" "}
          <Link to={`/sign-up${params.size ? `?${params}` : ""}`} className="font-semibold text-brand underline-offset-4 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <title>Sign in · OnAir</title>
      {viewer.me && !pending && (
        <Alert className="mb-5">
          You're signed in as <strong>{viewer.me.username}</strong>.{" "}
          <Link to="/" className="underline">
            Go home
          </Link>
        </Alert>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate className="grid gap-5">
        {problem && !problem.field && <Alert variant="error">{problem.message}</Alert>}
        <Field id="login" label="Email or username" error={fieldError("email")}>
          <Input
            id="login"
            name="login"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={Boolean(fieldError("email"))}
            aria-describedby={hintId("login")}
          />
        </Field>
        <Field
          id="password"
          label="Password"
          error={fieldError("password")}
          aside={
            <Link to="/forgot-password" className="text-xs font-semibold text-brand underline-offset-4 hover:underline">
              Forgot password?
            </Link>
          }
        >
          <PasswordInput id="password" name="password" autoComplete="current-password" required invalid={Boolean(fieldError("password"))} />
        </Field>
        <Button type="submit" size="lg" pending={pending} className="mt-1 w-full">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}

import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { AuthCard, PasswordInput } from "../../components/auth-card";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Field } from "../../components/ui/field";
import { authClient, describeAuthError, type AuthProblem } from "../../lib/auth";

/** Where a reset link lands (`?token=…`, or `?error=INVALID_TOKEN` for a used or expired link). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<AuthProblem | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    setPending(true);
    setProblem(null);
    const { error } = await authClient.resetPassword({ newPassword: password, token });
    setPending(false);
    if (error) setProblem(describeAuthError(error, ["password"]));
    else setDone(true);
  }

  const footer = (
    <Link to="/sign-in" className="font-semibold text-brand underline-offset-4 hover:underline">
      Back to sign in
    </Link>
  );

  if (!token || params.get("error")) {
    return (
      <AuthCard title="This link no longer works" subtitle="Reset links work once, within an hour." footer={footer}>
        <title>Reset password · OnAir</title>
        <Button asChild className="w-full">
          <Link to="/forgot-password">Send a new link</Link>
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Choose a new password" subtitle="You'll be signed out everywhere else." footer={footer}>
      <title>Reset password · OnAir</title>
      {done ? (
        <Alert variant="success" data-testid="password-reset">
          Your password is changed.{" "}
          <Link to="/sign-in" className="underline">
            Sign in
          </Link>{" "}
          with it.
        </Alert>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate className="grid gap-5">
          {problem && !problem.field && <Alert variant="error">{problem.message}</Alert>}
          <Field id="password" label="New password" error={problem?.field ? problem.message : undefined} hint="At least 8 characters.">
            <PasswordInput
              id="password"
              name="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              required
              invalid={Boolean(problem?.field)}
            />
          </Field>
          <Button type="submit" size="lg" pending={pending} disabled={password.length < 8} className="w-full">
            Change password
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

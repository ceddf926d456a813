import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { AuthCard } from "../../components/auth-card";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { authClient, describeAuthError, type AuthProblem } from "../../lib/auth";
import { formText } from "../../lib/utils";

/** "Forgot password?": mails a reset link (the same answer whether or not the address has an account). */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<AuthProblem | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = formText(new FormData(event.currentTarget), "email").trim();
    setPending(true);
    setProblem(null);
    const { error } = await authClient.requestPasswordReset({ email, redirectTo: "/reset-password" });
    setPending(false);
    if (error) setProblem(describeAuthError(error, ["email"]));
    else setSentTo(email);
  }

  return (
    <AuthCard
      title="Reset your password"
      subtitle="We'll mail you a link to choose a new one."
      footer={
        <Link to="/sign-in" className="font-semibold text-brand underline-offset-4 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <title>Forgot password · OnAir</title>
      {sentTo ? (
        <Alert variant="success" data-testid="reset-sent">
          If an account uses <strong>{sentTo}</strong>, a reset link is on its way. It works once, within an hour.
        </Alert>
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate className="grid gap-5">
          {problem && !problem.field && <Alert variant="error">{problem.message}</Alert>}
          <Field id="email" label="Email" error={problem?.field ? problem.message : undefined}>
            <Input id="email" name="email" type="email" autoComplete="email" required aria-describedby={hintId("email")} />
          </Field>
          <Button type="submit" size="lg" pending={pending} className="w-full">
            Send reset link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

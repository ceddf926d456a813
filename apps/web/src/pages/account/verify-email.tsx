import { Link, useSearchParams } from "react-router";
import { AuthCard } from "../../components/auth-card";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";

/** Where an email verification link lands (Better Auth redirects here, with `?error=…` when it failed). */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const error = params.get("error");
  return (
    <AuthCard
      title={error ? "We couldn't confirm your email" : "Your email is confirmed"}
      subtitle={error ? "The link is used up or has expired." : "Thanks — you're all set."}
    >
      <title>Email confirmation · OnAir</title>
      <div className="grid gap-5">
        {error ? (
          <Alert variant="error">Sign in and ask for a new confirmation mail, or try the latest link you received.</Alert>
        ) : (
          <Alert variant="success" data-testid="email-verified">
            Your email address is confirmed.
          </Alert>
        )}
        <Button asChild className="w-full">
          <Link to="/">Go to OnAir</Link>
        </Button>
      </div>
    </AuthCard>
  );
}

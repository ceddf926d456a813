import { UserPlus } from "lucide-react";
import { useState, type FormEvent } from "react";
import { usernameProblem } from "@onair/auth/username";
import { toast } from "../../lib/toast";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

/** Make any account a creator without waiting for an application. */
export function ApproveByUsername() {
  const utils = trpc.useUtils();
  const [username, setUsername] = useState("");
  const approve = trpc.admin.approveCreator.useMutation({
    onSuccess: (_, input) => {
      toast.success(`${input.username} is now a creator`);
      setUsername("");
      void utils.admin.pendingCreators.invalidate();
      void utils.account.me.invalidate();
    },
  });

  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, "");
    // The same rule as sign-up: a name no account can have is not sent.
    const found = usernameProblem(name);
    setProblem(found);
    if (!found) approve.mutate({ username: name });
  }

  const error = problem ?? (approve.error ? (fieldErrors(approve.error).username?.join(", ") ?? errorMessage(approve.error)) : undefined);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Approve directly</CardTitle>
        <CardDescription>Turn any account into a creator by username — no application needed.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <Field id="approve-username" label="Username" error={error}>
            <Input
              id="approve-username"
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                setProblem(null);
                if (approve.error) approve.reset();
              }}
              placeholder="e.g. nightowl"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={Boolean(error)}
              aria-describedby={hintId("approve-username")}
            />
          </Field>
          <Button type="submit" pending={approve.isPending} disabled={!username.trim()}>
            <UserPlus /> Approve as creator
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

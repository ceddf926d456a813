import { Coins } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "../../lib/toast";
import { formatCoins } from "../../features/gifts/coins";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { Field, hintId } from "../../components/ui/field";
import { Input } from "../../components/ui/input";
import { errorCode, errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";

const MAX_AMOUNT = 1_000_000;

/** Credit coins to any account, with a reason that the recipient sees in their wallet. */
export function GrantCoins() {
  const utils = trpc.useUtils();
  const [username, setUsername] = useState("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const grant = trpc.admin.grantCoins.useMutation({
    onSuccess: (result, input) => {
      toast.success(`Granted ${formatCoins(input.amount)} to ${result.username}`, {
        description: `Their balance is now ${formatCoins(result.balance)}.`,
      });
      setUsername("");
      setAmount("");
      setReason("");
      void utils.wallet.invalidate();
    },
  });

  const server = grant.error ? fieldErrors(grant.error) : {};
  const general = grant.error && Object.keys(server).length === 0 ? errorMessage(grant.error) : undefined;
  const value = Number(amount);
  const amountProblem =
    amount && (!Number.isInteger(value) || value < 1 || value > MAX_AMOUNT)
      ? `Enter a whole number from 1 to ${MAX_AMOUNT.toLocaleString("en")}`
      : undefined;
  const errors = {
    username: server.username?.join(", ") ?? (errorCode(grant.error) === "NOT_FOUND" ? general : undefined),
    amount: amountProblem ?? server.amount?.join(", "),
    reason: server.reason?.join(", "),
  };
  const otherError = general && !errors.username ? general : undefined;
  const ready = username.trim() && amount && !amountProblem && reason.trim().length >= 3;

  function edit(set: (v: string) => void) {
    return (e: { target: { value: string } }) => {
      set(e.target.value);
      if (grant.error) grant.reset();
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    grant.mutate({ username: username.trim().replace(/^@/, ""), amount: value, reason: reason.trim() });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Grant coins</CardTitle>
        <CardDescription>Add coins to an account's wallet. They see the reason in their wallet history.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} noValidate className="grid gap-4" data-testid="grant-coins">
          <Field id="grant-username" label="Username" error={errors.username}>
            <Input
              id="grant-username"
              value={username}
              onChange={edit(setUsername)}
              placeholder="e.g. pixel_fan"
              autoCapitalize="none"
              spellCheck={false}
              aria-invalid={Boolean(errors.username)}
              aria-describedby={hintId("grant-username")}
            />
          </Field>
          <Field id="grant-amount" label="Amount" error={errors.amount} hint="Whole coins, up to 1,000,000.">
            <Input
              id="grant-amount"
              value={amount}
              onChange={edit(setAmount)}
              inputMode="numeric"
              placeholder="100"
              aria-invalid={Boolean(errors.amount)}
              aria-describedby={hintId("grant-amount")}
            />
          </Field>
          <Field id="grant-reason" label="Reason" error={errors.reason} aside={`${reason.length}/200`}>
            <Input
              id="grant-reason"
              value={reason}
              onChange={edit(setReason)}
              maxLength={200}
              placeholder="e.g. Community event prize"
              aria-invalid={Boolean(errors.reason)}
              aria-describedby={hintId("grant-reason")}
            />
          </Field>
          {otherError && (
            <p className="text-sm font-medium text-red-300" role="alert">
              {otherError}
            </p>
          )}
          <Button type="submit" pending={grant.isPending} disabled={!ready}>
            <Coins /> Grant coins
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

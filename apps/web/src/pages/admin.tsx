import { ShieldAlert, UserCheck } from "lucide-react";
import { Link } from "react-router";
import { Gate } from "../components/gate";
import { EmptyState, PageHeader } from "../components/states";
import { Button } from "../components/ui/button";
import { ApproveByUsername } from "./admin/approve-form";
import { GrantCoins } from "./admin/grant-coins";
import { PendingCreators } from "./admin/pending-list";

export default function AdminPage() {
  return (
    <>
      <title>Admin · OnAir</title>
      <Gate
        allow={(viewer) => viewer.isAdmin}
        denied={
          <EmptyState
            level={1}
            icon={<ShieldAlert />}
            title="Admins only"
            action={
              <Button asChild variant="secondary">
                <Link to="/">Back to live channels</Link>
              </Button>
            }
          >
            This page is for OnAir admins. If you think you should have access, ask an admin.
          </EmptyState>
        }
      >
        <PageHeader title="Admin" description="Review creator applications and grant coins. Approved creators can go live right away." />
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_380px] xl:items-start">
          <PendingCreators />
          <div className="grid gap-6">
            <ApproveByUsername />
            <GrantCoins />
          </div>
        </div>
        <p className="mt-8 flex items-center gap-2 text-xs text-muted-foreground">
          <UserCheck className="size-4" aria-hidden /> Every decision is recorded with the reviewing admin.
        </p>
      </Gate>
    </>
  );
}

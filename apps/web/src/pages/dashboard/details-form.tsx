import { ImageOff } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "../../lib/toast";
import { Thumbnail } from "../../components/thumbnail";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "../../components/ui/card";
import { Field, hintId } from "../../components/ui/field";
import { Input, Textarea } from "../../components/ui/input";
import { errorCode, errorMessage, fieldErrors } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { isHttpUrl } from "../../lib/utils";

interface Details {
  title: string;
  description: string;
  thumbnail: string;
}

export function StreamDetailsForm({ initial, name }: { initial: Details; name: string }) {
  const utils = trpc.useUtils();
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(initial);
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const upsert = trpc.stream.upsert.useMutation({
    onSuccess: (stream) => {
      const next = { title: stream.title, description: stream.description ?? "", thumbnail: stream.thumbnail ?? "" };
      setSaved(next);
      setValues(next);
      utils.stream.mine.setData(undefined, stream);
      void utils.stream.byUsername.invalidate({ username: stream.username });
      toast.success("Stream settings saved");
    },
    onError: (error) => {
      if (errorCode(error) !== "BAD_REQUEST") toast.error(errorMessage(error));
    },
  });

  const errors = upsert.error ? fieldErrors(upsert.error) : {};
  // A field's error goes as soon as its value changes from the one the server refused.
  const errorFor = (field: keyof Details) => (upsert.variables?.[field] === values[field] ? errors[field]?.join(", ") : undefined);
  const formError = upsert.error && Object.keys(errors).length === 0 ? errorMessage(upsert.error) : undefined;
  const dirty = values.title !== saved.title || values.description !== saved.description || values.thumbnail !== saved.thumbnail;

  function set(field: keyof Details, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    upsert.mutate(values);
  }

  const thumb = values.thumbnail.trim();
  const previewBroken = thumb !== "" && (!isHttpUrl(thumb) || failedSrc === thumb);

  return (
    <Card>
      <form onSubmit={submit} noValidate aria-labelledby="details-title">
        <CardHeader>
          <CardTitle id="details-title">Stream details</CardTitle>
          <CardDescription>What viewers see on your channel and in the live directory.</CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-6 md:grid-cols-[minmax(0,1fr)_280px]">
          <div className="grid content-start gap-5">
            {formError && <Alert variant="error">{formError}</Alert>}
            <Field id="title" label="Title" error={errorFor("title")} aside={`${values.title.length}/140`}>
              <Input
                id="title"
                value={values.title}
                onChange={(e) => set("title", e.target.value)}
                placeholder="Late-night coding, come hang out"
                aria-invalid={Boolean(errorFor("title"))}
                aria-describedby={hintId("title")}
              />
            </Field>
            <Field id="description" label="Description" error={errorFor("description")} aside={`${values.description.length}/2000`}>
              <Textarea
                id="description"
                rows={4}
                value={values.description}
                onChange={(e) => set("description", e.target.value)}
                placeholder="Tell viewers what your stream is about."
                aria-invalid={Boolean(errorFor("description"))}
                aria-describedby={hintId("description")}
              />
            </Field>
            <Field
              id="thumbnail"
              label="Thumbnail URL"
              error={errorFor("thumbnail")}
              hint={
                previewBroken
                  ? "We couldn't load an image from this URL — check the link."
                  : "An https:// link to a 16:9 image. Leave empty for the OnAir artwork."
              }
            >
              <Input
                id="thumbnail"
                type="url"
                inputMode="url"
                value={values.thumbnail}
                onChange={(e) => set("thumbnail", e.target.value)}
                placeholder="https://example.com/cover.jpg"
                aria-invalid={Boolean(errorFor("thumbnail"))}
                aria-describedby={hintId("thumbnail")}
              />
            </Field>
          </div>
          <div className="grid content-start gap-2">
            <span className="text-sm font-medium">Preview</span>
            <Thumbnail src={thumb} name={name} alt="Thumbnail preview" onError={setFailedSrc} className="ring-1 ring-border">
              {previewBroken && (
                <span className="absolute top-2 right-2 inline-flex items-center gap-1 rounded bg-black/75 px-1.5 py-0.5 text-xs text-amber-200">
                  <ImageOff className="size-3.5" aria-hidden /> Not loading
                </span>
              )}
            </Thumbnail>
            <p className="truncate text-sm font-semibold">{values.title || "Untitled stream"}</p>
            <p className="-mt-1.5 text-xs text-muted-foreground">{name}</p>
          </div>
        </CardContent>
        <CardFooter className="justify-end">
          <span className="mr-auto text-xs text-muted-foreground" aria-live="polite">
            {dirty ? "Unsaved changes" : "All changes saved"}
          </span>
          <Button
            type="button"
            variant="ghost"
            disabled={!dirty || upsert.isPending}
            onClick={() => {
              setValues(saved);
              upsert.reset();
            }}
          >
            Discard
          </Button>
          <Button type="submit" pending={upsert.isPending} disabled={!dirty}>
            Save
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}

"""The template gallery: preset scripts with their roles, in English or Chinese."""
from ninja import Query, Router
from pydantic import Field

from theatre.services.scripts import gallery
from theatre.web.api.pages import PageQuery, answers, paginate
from theatre.web.api.schemas import TemplatePage

router = Router(tags=["templates"])


class GalleryQuery(PageQuery):
    language: str = Field("en", max_length=20, description="en, or zh-hans (any zh… code) for the Chinese gallery.")


def template_json(template):
    return {
        "id": template.pk, "slug": template.template_slug, "title": template.title, "logline": template.logline,
        "language": template.language, "shots": len(template.shots.all()),
        "roles": [{"key": r.key, "name": r.name, "kinds": list(r.kinds or []), "default_avatar": r.default_avatar_id}
                  for r in template.roles.all()],
    }


@router.get("/templates/", response=answers({200: TemplatePage}), url_name="templates")
def list_templates(request, query: Query[GalleryQuery]):
    """Templates in a language, each with its roles and the avatar kinds each role accepts."""
    return paginate(request, gallery(query.language).prefetch_related("shots").order_by("title", "pk"), "templates",
                    template_json, query)

"""Sharing and review: members and invitations, review requests, decisions, comments.

The same services and role rules as the Sharing and Review pages (``designer.services.sharing``,
``reviews``, ``comments``; ``designer.permissions``), with their messages.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.concurrency import if_match
from api.openapi import ETAG, IF_MATCH, errors
from api.views.base import ApiView, draft_response
from designer.models import Approval, Comment, Draft, Membership, ReviewRequest
from designer.permissions import Action
from designer.selectors.comments import comment_threads
from designer.selectors.reviews import reviewers_from_ids
from designer.selectors.sharing import invitations_pending, members
from designer.services.comments import comment_create, comment_reopen, comment_resolve
from designer.services.reviews import review_approve, review_request_changes, review_request_create
from designer.services.sharing import invitation_create, membership_remove, membership_update

# The words of the Sharing page, whether or not the identifier names an account.
INVITED = (
    "Invitation to “{identifier}” as {role} recorded. If it names an account here, that person sees it "
    "under Invitations and can accept or decline it."
)


def _members(draft: Draft) -> dict[str, Any]:
    return {
        "owner": draft.owner.get_username(),
        "members": s.MemberSerializer(members(draft), many=True).data,
        "invitations": [
            {"id": i.pk, "identifier": i.identifier, "role": i.role, "detail": ""} for i in invitations_pending(draft)
        ],
    }


class MemberList(ApiView):
    @extend_schema(
        operation_id="members_list",
        summary="The owner, the members with their roles, and the invitations not answered yet",
        responses={200: s.MembersSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_members(self.draft(pk, Action.VIEW)))

    @extend_schema(
        operation_id="members_invite",
        summary="Invite someone (username or e-mail address) to a role; they accept on their Invitations page",
        request=s.MemberInviteSerializer,
        responses={202: s.InvitationSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.MANAGE_MEMBERS)
        body = s.MemberInviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = invitation_create(draft=draft, actor=self.user, **body.validated_data)
        detail = INVITED.format(identifier=invitation.identifier, role=invitation.role)
        data = {"id": invitation.pk, "identifier": invitation.identifier, "role": invitation.role, "detail": detail}
        return Response(data, status=status.HTTP_202_ACCEPTED)


class MemberDetail(ApiView):
    def _membership(self, pk: int, member_pk: int) -> Membership:
        draft = self.draft(pk, Action.MANAGE_MEMBERS)
        membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk, draft=draft)
        membership.draft = draft
        return membership

    @extend_schema(
        operation_id="members_partial_update",
        summary="Change a member's role",
        request=s.MemberRoleSerializer,
        responses={200: s.MemberSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def patch(self, request: Request, pk: int, member_pk: int) -> Response:
        membership = self._membership(pk, member_pk)
        body = s.MemberRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = membership_update(membership=membership, actor=self.user, role=body.validated_data["role"])
        return Response(s.MemberSerializer(membership).data)

    @extend_schema(
        operation_id="members_destroy",
        summary="Take a member off the draft",
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, member_pk: int) -> Response:
        membership_remove(membership=self._membership(pk, member_pk), actor=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewRequestList(ApiView):
    @extend_schema(
        operation_id="review_requests_list",
        summary="The draft's review requests, newest first",
        responses={200: s.ReviewRequestSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        found = (
            ReviewRequest.objects.filter(draft=draft)
            .select_related("requested_by", "revision")
            .prefetch_related("reviewers")
            .order_by("-created", "-id")[:200]
        )
        return Response(s.ReviewRequestSerializer(found, many=True).data)

    @extend_schema(
        operation_id="review_requests_create",
        summary="Freeze the content as a revision and ask reviewers (user ids of members who may approve)",
        request=s.ReviewRequestCreateSerializer,
        responses={201: s.ReviewRequestSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.REQUEST_REVIEW)
        body = s.ReviewRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reviewers = reviewers_from_ids(draft=draft, ids=[str(i) for i in body.validated_data["reviewers"]])
        created = review_request_create(
            draft=draft, actor=self.user, reviewers=reviewers, note=body.validated_data["note"]
        )
        return Response(s.ReviewRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class DecisionList(ApiView):
    @extend_schema(
        operation_id="decisions_list",
        summary="Approvals and change requests, newest first",
        responses={200: s.DecisionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        found = Approval.objects.filter(draft=draft).select_related("reviewer", "revision").order_by("-created")[:200]
        return Response(s.DecisionSerializer(found, many=True).data)

    @extend_schema(
        operation_id="decisions_create",
        summary="Approve the content of the If-Match version, or request changes (a note is required)",
        parameters=[IF_MATCH, ETAG],
        request=s.DecisionCreateSerializer,
        responses={201: s.DecisionSerializer, **errors(400, 401, 403, 404, 412, 422, 428)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.APPROVE)
        version = if_match(request, draft)
        body = s.DecisionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data["note"]
        if body.validated_data["verdict"] == Approval.Verdict.APPROVED:
            decision = review_approve(draft=draft, actor=self.user, version=version, note=note)
        else:
            decision = review_request_changes(draft=draft, actor=self.user, version=version, note=note)
        return draft_response(s.DecisionSerializer(decision).data, draft, status.HTTP_201_CREATED)


class CommentList(ApiView):
    @extend_schema(
        operation_id="comments_list",
        summary="Comment threads (each thread's first comment and its replies), or one node's",
        parameters=[OpenApiParameter("node", str, description="Only the threads on this node (its key).")],
        responses={200: s.CommentSerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        node = request.query_params.get("node") or None
        body = s.CommentFilterSerializer(data={"node": node})
        body.is_valid(raise_exception=True)
        threads = comment_threads(draft, node_key=body.validated_data["node"])
        flat = [c for thread in threads for c in (thread, *thread.thread_replies)]  # type: ignore[attr-defined]
        return Response(s.CommentSerializer(flat, many=True).data)

    @extend_schema(
        operation_id="comments_create",
        summary="Comment on the draft or a node, or reply to a thread",
        request=s.CommentCreateSerializer,
        responses={201: s.CommentSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.COMMENT)
        body = s.CommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        parent = get_object_or_404(Comment, pk=data["parent"], draft=draft) if data.get("parent") else None
        comment = comment_create(
            draft=draft, actor=self.user, body=data["body"], node_key=data.get("node"), parent=parent
        )
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetail(ApiView):
    @extend_schema(
        operation_id="comments_partial_update",
        summary="Resolve or reopen a thread",
        request=s.CommentStateSerializer,
        responses={200: s.CommentSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def patch(self, request: Request, pk: int, comment_pk: int) -> Response:
        draft = self.draft(pk, Action.COMMENT)
        comment = get_object_or_404(Comment, pk=comment_pk, draft=draft)
        body = s.CommentStateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = comment_resolve if body.validated_data["resolved"] else comment_reopen
        thread = change(comment=comment, actor=self.user)
        return Response(s.CommentSerializer(thread).data)
